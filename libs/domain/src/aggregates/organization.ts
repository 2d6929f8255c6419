import { conflict, invalid } from '../errors';
import { event, type DomainEvent, type Jwks, type Role } from '../events';
import type { Decider } from '../decider';

export interface OrganizationState {
  exists: boolean;
  id?: string;
  roles: Role[];
}

export type OrganizationCommand =
  | {
      type: 'register-organization';
      organizationId: string;
      name: string;
      roles: Role[];
      jwks: Jwks;
      clientSecretSha256: string;
      at: string;
    }
  | { type: 'rotate-keys'; organizationId: string; jwks: Jwks; at: string };

export const organizationDecider: Decider<OrganizationState, OrganizationCommand, DomainEvent> = {
  initialState: () => ({ exists: false, roles: [] }),
  evolve(state, e) {
    if (e.type === 'organization.registered') return { exists: true, id: e.data.organizationId, roles: e.data.roles };
    return state;
  },
  decide(command, state) {
    switch (command.type) {
      case 'register-organization': {
        if (state.exists) throw conflict('duplicate-id', `organization ${command.organizationId} already exists`);
        if (command.roles.length === 0)
          throw invalid('invalid-roles', 'an organization needs at least one role', [{ field: 'roles', message: 'roles must not be empty' }]);
        return [
          event('organization.registered', {
            organizationId: command.organizationId,
            name: command.name,
            roles: [...new Set(command.roles)],
            jwks: command.jwks,
            clientId: command.organizationId,
            clientSecretSha256: command.clientSecretSha256,
            registeredAt: command.at,
          }),
        ];
      }
      case 'rotate-keys':
        if (!state.exists) throw invalid('unknown-organization', 'no such organization');
        return [event('organization.keys-rotated', { organizationId: command.organizationId, jwks: command.jwks, rotatedAt: command.at })];
    }
  },
};
