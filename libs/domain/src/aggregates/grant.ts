import { conflict, invalid, notFound } from '../errors';
import { event, type DomainEvent, type GrantOrigin, type Purpose, type ResourceType, type Scope } from '../events';
import type { Decider } from '../decider';

export interface GrantState {
  exists: boolean;
  ownerOrgId?: string;
  granteeOrgId?: string;
  resource?: { type: ResourceType; id: string };
  revoked: boolean;
}

export type GrantCommand =
  | {
      type: 'create-grant';
      grantId: string;
      ownerOrgId: string;
      resource: { type: ResourceType; id: string };
      granteeOrgId: string;
      granteeExists: boolean;
      purpose: Purpose;
      scope: Scope;
      expiresAt?: string;
      origin: GrantOrigin;
      at: string;
    }
  | { type: 'revoke-grant'; grantId: string; callerOrgId: string; at: string };

export const grantDecider: Decider<GrantState, GrantCommand, DomainEvent> = {
  initialState: () => ({ exists: false, revoked: false }),
  evolve(state, e) {
    switch (e.type) {
      case 'grant.created':
        return { exists: true, ownerOrgId: e.data.ownerOrgId, granteeOrgId: e.data.granteeOrgId, resource: e.data.resource, revoked: false };
      case 'grant.revoked':
        return { ...state, revoked: true };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'create-grant': {
        if (state.exists) throw conflict('duplicate-id', `grant ${command.grantId} already exists`);
        if (!command.granteeExists)
          throw invalid('unknown-grantee', `no organization ${command.granteeOrgId}`, [
            { field: 'granteeOrgId', message: 'must be a registered organization' },
          ]);
        if (command.granteeOrgId === command.ownerOrgId)
          throw invalid('self-grant', 'the owner already reads its own resources', [
            { field: 'granteeOrgId', message: 'must be another organization' },
          ]);
        if (command.expiresAt !== undefined && command.expiresAt <= command.at)
          throw invalid('expired-grant', 'expiresAt must be in the future', [{ field: 'expiresAt', message: 'must be in the future' }]);
        const { grantId, ownerOrgId, resource, granteeOrgId, purpose, scope, expiresAt, origin, at } = command;
        return [
          event('grant.created', {
            grantId,
            ownerOrgId,
            resource,
            granteeOrgId,
            purpose,
            scope,
            ...(expiresAt !== undefined && { expiresAt }),
            origin,
            createdAt: at,
          }),
        ];
      }
      case 'revoke-grant': {
        if (!state.exists || state.ownerOrgId !== command.callerOrgId) throw notFound('grant-not-found', 'no such grant');
        if (state.revoked) throw conflict('grant-revoked', 'the grant is already revoked');
        return [
          event('grant.revoked', {
            grantId: command.grantId,
            ownerOrgId: state.ownerOrgId!,
            granteeOrgId: state.granteeOrgId!,
            resource: state.resource!,
            revokedAt: command.at,
          }),
        ];
      }
    }
  },
};
