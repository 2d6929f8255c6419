import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound } from '@exchange/domain';
import { paginate, type PageQuery } from '../../http/pagination';
import { ReadModel, type PartView } from '@exchange/projections';

export class ListParts {
  constructor(
    readonly callerOrgId: string,
    readonly page: PageQuery,
  ) {}
}
export class GetPart {
  constructor(
    readonly callerOrgId: string,
    readonly partId: string,
  ) {}
}

export const renderPart = ({ position: _position, ...part }: PartView) => part;

/** A part is seen by its owner only; anybody else is told it does not exist. */
export function ownPart(readModel: ReadModel, callerOrgId: string, partId: string): PartView {
  const part = readModel.parts.get(partId);
  if (!part || part.ownerOrgId !== callerOrgId) throw notFound('part-not-found', 'no such part');
  return part;
}

@QueryHandler(ListParts)
export class ListPartsHandler implements IQueryHandler<ListParts> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ callerOrgId, page }: ListParts) {
    const mine = [...this.readModel.parts.all()].filter((p) => p.ownerOrgId === callerOrgId);
    return paginate(mine, (p) => p.position, page, renderPart);
  }
}

@QueryHandler(GetPart)
export class GetPartHandler implements IQueryHandler<GetPart> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ callerOrgId, partId }: GetPart) {
    return renderPart(ownPart(this.readModel, callerOrgId, partId));
  }
}
