import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { paginate, type PageQuery } from '../../http/pagination';
import { Clock } from '../../infrastructure/clock';
import { ReadModel } from '@exchange/projections';
import { auditEntriesFor, grantSeenBy, grantsListedFor, renderAuditEntry, renderGrant } from './grant-views';
import type { ListGrantsQuery } from './grants.dto';

export class ListGrants {
  constructor(readonly callerOrgId: string, readonly query: ListGrantsQuery) {}
}
export class GetGrant {
  constructor(readonly callerOrgId: string, readonly grantId: string) {}
}
export class ListAuditEntries {
  constructor(readonly callerOrgId: string, readonly resourceId: string, readonly page: PageQuery) {}
}

/** Grants the caller gave or, with granted=to-me, received; status as of now. */
@QueryHandler(ListGrants)
export class ListGrantsHandler implements IQueryHandler<ListGrants> {
  constructor(private readonly readModel: ReadModel, private readonly clock: Clock) {}

  async execute({ callerOrgId, query }: ListGrants) {
    const now = this.clock.now();
    return paginate(grantsListedFor(this.readModel, callerOrgId, query), (g) => g.position, query, (g) => renderGrant(g, now));
  }
}

/** One grant, for its owner or its grantee. */
@QueryHandler(GetGrant)
export class GetGrantHandler implements IQueryHandler<GetGrant> {
  constructor(private readonly readModel: ReadModel, private readonly clock: Clock) {}

  async execute({ callerOrgId, grantId }: GetGrant) {
    return renderGrant(grantSeenBy(this.readModel, callerOrgId, grantId), this.clock.now());
  }
}

/** Who read one of the caller's resources under a grant, oldest first. */
@QueryHandler(ListAuditEntries)
export class ListAuditEntriesHandler implements IQueryHandler<ListAuditEntries> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ callerOrgId, resourceId, page }: ListAuditEntries) {
    return paginate(auditEntriesFor(this.readModel, callerOrgId, resourceId), (entry) => entry.position, page, renderAuditEntry);
  }
}
