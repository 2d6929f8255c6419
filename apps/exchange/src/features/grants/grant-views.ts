import { grantInForce } from '@exchange/access';
import { notFound, type ResourceType } from '@exchange/domain';
import type { ReadModel, AuditEntry, GrantRecord, GrantView } from '@exchange/projections';
import type { GrantDto, GrantStatus, ListGrantsQuery } from './grants.dto';

export const resourceNotFound = () => notFound('resource-not-found', 'no such resource');
export const grantNotFound = () => notFound('grant-not-found', 'no such grant');

/** The organization that owns (issued) a resource, or undefined when there is no such resource. */
export function ownerOf(readModel: ReadModel, resource: { type: ResourceType; id: string }): string | undefined {
  switch (resource.type) {
    case 'footprint':
      return readModel.footprints.get(resource.id)?.issuer;
    case 'dd-report':
      return readModel.ddReports.get(resource.id)?.issuer;
    case 'submission':
      return readModel.submissions.get(resource.id)?.issuer;
  }
}

/** Whether the organization owns a resource with this id, of whichever type. */
export function ownsResourceId(readModel: ReadModel, orgId: string, resourceId: string): boolean {
  return (['footprint', 'dd-report', 'submission'] as const).some((type) => ownerOf(readModel, { type, id: resourceId }) === orgId);
}

export function grantStatus(grant: GrantView, now: string): GrantStatus {
  if (grant.revokedAt !== undefined) return 'revoked';
  return grantInForce(grant, now) ? 'active' : 'expired';
}

export function renderGrant(grant: GrantView, now: string): GrantDto {
  const { grantId, ownerOrgId, resource, granteeOrgId, purpose, scope, expiresAt, createdAt, revokedAt } = grant;
  return {
    id: grantId,
    ownerOrgId,
    resource,
    granteeOrgId,
    purpose,
    scope,
    ...(expiresAt !== undefined && { expiresAt }),
    createdAt,
    ...(revokedAt !== undefined && { revokedAt }),
    status: grantStatus(grant, now),
  };
}

export const renderAuditEntry = ({ position: _position, log: _log, ownerOrgId: _owner, resourceType: _type, ...entry }: AuditEntry) => entry;

/** A grant its owner or its grantee asks about; anybody else is told it does not exist. */
export function grantSeenBy(readModel: ReadModel, orgId: string, grantId: string): GrantRecord {
  const grant = readModel.grants.get(grantId);
  if (!grant || (grant.ownerOrgId !== orgId && grant.granteeOrgId !== orgId)) throw grantNotFound();
  return grant;
}

/**
 * The grants a list asks for: those the caller gave (on one of its resources, or all of them), or
 * with `granted=to-me` those it received. Ids are compared with the owner too, since two owners
 * may have used the same id for resources of different types.
 */
export function grantsListedFor(readModel: ReadModel, caller: string, query: ListGrantsQuery): GrantRecord[] {
  const { resourceId } = query;
  if (query.granted === 'to-me') {
    const pool = resourceId === undefined ? [...readModel.grants.all()] : readModel.grants.onId(resourceId);
    return pool.filter((g) => g.granteeOrgId === caller);
  }
  if (resourceId === undefined) return [...readModel.grants.all()].filter((g) => g.ownerOrgId === caller);
  if (!ownsResourceId(readModel, caller, resourceId)) throw resourceNotFound();
  return readModel.grants.onId(resourceId).filter((g) => g.ownerOrgId === caller);
}

/** Who read one of the caller's resources under a grant, and who was refused (entries name their owner). */
export function auditEntriesFor(readModel: ReadModel, caller: string, resourceId: string): AuditEntry[] {
  if (!ownsResourceId(readModel, caller, resourceId)) throw resourceNotFound();
  return readModel.audit.of(resourceId, caller);
}
