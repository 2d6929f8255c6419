import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound } from '@exchange/domain';
import { paginate } from '../../http/pagination';
import { ReadModel, type RequestView } from '@exchange/projections';
import type { ListRequestsQuery } from './requests.dto';

export class ListRequests {
  constructor(
    readonly callerOrgId: string,
    readonly query: ListRequestsQuery,
  ) {}
}
export class GetRequest {
  constructor(
    readonly callerOrgId: string,
    readonly requestId: string,
  ) {}
}

export const renderRequest = ({ position: _position, ...request }: RequestView) => request;

/** A request is seen by its requester and its supplier; anybody else is told it does not exist. */
export function visibleRequest(readModel: ReadModel, callerOrgId: string, requestId: string): RequestView {
  const request = readModel.requests.get(requestId);
  if (!request || (request.requesterOrgId !== callerOrgId && request.supplierOrgId !== callerOrgId))
    throw notFound('request-not-found', 'no such request');
  return request;
}

/** Requests the caller received (inbound), sent (outbound) or both, optionally in one status, oldest first. */
@QueryHandler(ListRequests)
export class ListRequestsHandler implements IQueryHandler<ListRequests> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ callerOrgId, query }: ListRequests) {
    const mine = [...this.readModel.requests.all()].filter(
      (r) =>
        ((query.direction !== 'outbound' && r.supplierOrgId === callerOrgId) ||
          (query.direction !== 'inbound' && r.requesterOrgId === callerOrgId)) &&
        (query.status === undefined || r.status === query.status),
    );
    return paginate(mine, (r) => r.position, query, renderRequest);
  }
}

@QueryHandler(GetRequest)
export class GetRequestHandler implements IQueryHandler<GetRequest> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ callerOrgId, requestId }: GetRequest) {
    return renderRequest(visibleRequest(this.readModel, callerOrgId, requestId));
  }
}
