import { event, type GrantCreated } from '../events';
import { deciderSpec } from '../testing/decider-spec';
import { grantDecider, type GrantCommand } from './grant';

const spec = deciderSpec(grantDecider);
const AT = '2026-03-01T10:00:00.000Z';
const resource = { type: 'footprint' as const, id: 'fp-1' };

const create = (over: Partial<Extract<GrantCommand, { type: 'create-grant' }>> = {}): GrantCommand => ({
  type: 'create-grant',
  grantId: 'g-1',
  ownerOrgId: 'owner',
  resource,
  granteeOrgId: 'reader',
  granteeExists: true,
  purpose: 'downstream-aggregation',
  scope: 'document',
  origin: { kind: 'owner' },
  at: AT,
  ...over,
});
const created = (over: Partial<GrantCreated> = {}) =>
  event('grant.created', {
    grantId: 'g-1',
    ownerOrgId: 'owner',
    resource,
    granteeOrgId: 'reader',
    purpose: 'downstream-aggregation',
    scope: 'document',
    origin: { kind: 'owner' },
    createdAt: AT,
    ...over,
  });
const revoke = (callerOrgId = 'owner'): GrantCommand => ({ type: 'revoke-grant', grantId: 'g-1', callerOrgId, at: '2026-03-02T00:00:00.000Z' });
const revoked = event('grant.revoked', {
  grantId: 'g-1',
  ownerOrgId: 'owner',
  granteeOrgId: 'reader',
  resource,
  revokedAt: '2026-03-02T00:00:00.000Z',
});

describe('grant decider', () => {
  describe('create-grant', () => {
    it('grants', () => spec.given([]).when(create()).then([created()]));

    it('keeps a future expiresAt and the origin', () => {
      const origin = { kind: 'request' as const, requestId: 'r-1' };
      spec
        .given([])
        .when(create({ expiresAt: '2026-03-01T10:00:00.001Z', origin }))
        .then([created({ expiresAt: '2026-03-01T10:00:00.001Z', origin })]);
    });

    it('refuses an id that exists', () => spec.given([created()]).when(create()).thenRefused('conflict', 'duplicate-id'));
    it('refuses an unknown grantee', () =>
      spec
        .given([])
        .when(create({ granteeExists: false }))
        .thenRefused('invalid', 'unknown-grantee'));
    it('refuses a grant to the owner itself', () =>
      spec
        .given([])
        .when(create({ granteeOrgId: 'owner' }))
        .thenRefused('invalid', 'self-grant'));

    it('refuses an expiresAt in the past or at the very instant', () => {
      spec
        .given([])
        .when(create({ expiresAt: '2026-03-01T09:59:59.999Z' }))
        .thenRefused('invalid', 'expired-grant');
      spec
        .given([])
        .when(create({ expiresAt: AT }))
        .thenRefused('invalid', 'expired-grant', { errors: [{ field: 'expiresAt', message: 'must be in the future' }] });
    });
  });

  describe('revoke-grant', () => {
    it('revokes, naming the grantee and the resource', () => spec.given([created()]).when(revoke()).then([revoked]));
    it('does not know a grant that does not exist', () => spec.given([]).when(revoke()).thenRefused('not-found', 'grant-not-found'));
    it('hides the grant from its grantee', () => spec.given([created()]).when(revoke('reader')).thenRefused('not-found', 'grant-not-found'));
    it('hides the grant from a stranger', () => spec.given([created()]).when(revoke('stranger')).thenRefused('not-found', 'grant-not-found'));
    it('refuses to revoke twice', () => spec.given([created(), revoked]).when(revoke()).thenRefused('conflict', 'grant-revoked'));
  });
});
