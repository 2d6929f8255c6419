import { event, type Jwks, type Role } from '../events';
import { deciderSpec } from '../testing/decider-spec';
import { organizationDecider, type OrganizationCommand } from './organization';

const spec = deciderSpec(organizationDecider);
const AT = '2026-03-01T10:00:00.000Z';
const jwks: Jwks = { keys: [{ kid: 'k1', kty: 'OKP', crv: 'Ed25519', x: 'abc' }] };
const rotatedJwks: Jwks = { keys: [{ kid: 'k2', kty: 'OKP', crv: 'Ed25519', x: 'def' }] };

const register = (over: Partial<Extract<OrganizationCommand, { type: 'register-organization' }>> = {}): OrganizationCommand => ({
  type: 'register-organization',
  organizationId: 'org-1',
  name: 'Kanto Cathode Materials',
  roles: ['supplier'],
  jwks,
  clientSecretSha256: 'secret-hash',
  at: AT,
  ...over,
});
const registered = (roles: Role[] = ['supplier']) =>
  event('organization.registered', {
    organizationId: 'org-1',
    name: 'Kanto Cathode Materials',
    roles,
    jwks,
    clientId: 'org-1',
    clientSecretSha256: 'secret-hash',
    registeredAt: AT,
  });
const rotate: OrganizationCommand = { type: 'rotate-keys', organizationId: 'org-1', jwks: rotatedJwks, at: '2026-04-01T00:00:00.000Z' };

describe('organization decider', () => {
  describe('register-organization', () => {
    it('registers, with the organization id as client id', () => spec.given([]).when(register()).then([registered()]));
    it('keeps each role once', () =>
      spec
        .given([])
        .when(register({ roles: ['supplier', 'oem', 'supplier'] }))
        .then([registered(['supplier', 'oem'])]));
    it('refuses an id that exists', () => spec.given([registered()]).when(register()).thenRefused('conflict', 'duplicate-id'));
    it('refuses an organization without roles', () =>
      spec
        .given([])
        .when(register({ roles: [] }))
        .thenRefused('invalid', 'invalid-roles', { errors: [{ field: 'roles', message: 'roles must not be empty' }] }));
  });

  describe('rotate-keys', () => {
    it('records the new key set', () =>
      spec
        .given([registered()])
        .when(rotate)
        .then([event('organization.keys-rotated', { organizationId: 'org-1', jwks: rotatedJwks, rotatedAt: '2026-04-01T00:00:00.000Z' })]));
    it('refuses an organization that does not exist', () => spec.given([]).when(rotate).thenRefused('invalid', 'unknown-organization'));
  });
});
