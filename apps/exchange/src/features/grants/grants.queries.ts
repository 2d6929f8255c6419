import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { paginate, paginateByKey, type PageQuery } from '../../http/pagination';
import { Clock } from '../../infrastructure/clock';
import { auditOrderKey, mergedAuditTrail, ReadModel, RefusalTrail } from '@exchange/projections';
import { RefusalLog } from '../../access/refusal-log';
import { AccessService } from '../../access/access.service';
import {
  auditEntriesFor,
  grantNotFound,
  grantSeenBy,
  grantsListedFor,
  ownerOf,
  ownsResourceId,
  renderAuditEntry,
  renderGrant,
  resourceNotFound,
} from './grant-views';
import type { ListGrantsQuery } from './grants.dto';

export class ListGrants {
  constructor(
    readonly callerOrgId: string,
    readonly query: ListGrantsQuery,
  ) {}
}
export class GetGrant {
  constructor(
    readonly callerOrgId: string,
    readonly grantId: string,
  ) {}
}
export class ListAuditEntries {
  constructor(
    readonly callerOrgId: string,
    readonly resourceId: string,
    readonly page: PageQuery,
  ) {}
}

/**
 * A resource's grants and audit trail are its owner's alone (no grant covers them). Somebody else
 * asking for those of a resource that exists is refused, and the attempt recorded in the audit
 * trail of every resource with that id (ids are chosen by issuers); then answered 404 like an
 * unknown id.
 */
function refuseOwnerOnly(readModel: ReadModel, access: AccessService, callerOrgId: string, resourceId: string, what: string): void {
  if (ownsResourceId(readModel, callerOrgId, resourceId)) return;
  for (const type of ['footprint', 'dd-report', 'submission'] as const) {
    const ownerOrgId = ownerOf(readModel, { type, id: resourceId });
    if (ownerOrgId === undefined) continue;
    const resource = { type, id: resourceId, ownerOrgId };
    const decision = access.decide(callerOrgId, resource, { scope: 'owner' });
    if (!decision.allowed) access.recordRefusal(callerOrgId, resource, decision.reason, what);
  }
  throw resourceNotFound();
}

/** Grants the caller gave or, with granted=to-me, received; status as of now. */
@QueryHandler(ListGrants)
export class ListGrantsHandler implements IQueryHandler<ListGrants> {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, query }: ListGrants) {
    if (query.granted !== 'to-me' && query.resourceId !== undefined)
      refuseOwnerOnly(this.readModel, this.access, callerOrgId, query.resourceId, 'grants');
    const now = this.clock.now();
    return paginate(
      grantsListedFor(this.readModel, callerOrgId, query),
      (g) => g.position,
      query,
      (g) => renderGrant(g, now),
    );
  }
}

/** One grant, for its owner or its grantee; anybody else's attempt is recorded in the audit trail of the grant's resource. */
@QueryHandler(GetGrant)
export class GetGrantHandler implements IQueryHandler<GetGrant> {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, grantId }: GetGrant) {
    const grant = this.readModel.grants.get(grantId);
    if (grant && grant.ownerOrgId !== callerOrgId && grant.granteeOrgId !== callerOrgId) {
      this.access.authorize(callerOrgId, { ...grant.resource, ownerOrgId: grant.ownerOrgId }, { scope: 'owner' }, 'grant', grantNotFound);
    }
    return renderGrant(grantSeenBy(this.readModel, callerOrgId, grantId), this.clock.now());
  }
}

/** Who read one of the caller's resources under a grant, and who was refused, oldest first (every refusal noted before the query included). */
@QueryHandler(ListAuditEntries)
export class ListAuditEntriesHandler implements IQueryHandler<ListAuditEntries> {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly refusals: RefusalLog,
    private readonly refusalTrail: RefusalTrail,
  ) {}

  async execute({ callerOrgId, resourceId, page }: ListAuditEntries) {
    refuseOwnerOnly(this.readModel, this.access, callerOrgId, resourceId, 'audit');
    await this.refusals.settled();
    const trail = mergedAuditTrail(auditEntriesFor(this.readModel, callerOrgId, resourceId), this.refusalTrail.of(resourceId, callerOrgId));
    return paginateByKey(trail, auditOrderKey, page, renderAuditEntry);
  }
}
