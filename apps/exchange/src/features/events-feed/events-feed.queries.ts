import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PageQuery } from '../../http/pagination';
import { ReadModel, RecordedFacts } from '@exchange/projections';
import { feedPage, type FeedPage } from './feed-page';

/** One page of the events the caller's organization may see, oldest first. */
export class GetEventsFeed {
  constructor(
    readonly callerOrgId: string,
    readonly page: PageQuery,
  ) {}
}

@QueryHandler(GetEventsFeed)
export class GetEventsFeedHandler implements IQueryHandler<GetEventsFeed, FeedPage> {
  constructor(
    private readonly readModel: ReadModel,
    private readonly recorded: RecordedFacts,
  ) {}

  async execute({ callerOrgId, page }: GetEventsFeed): Promise<FeedPage> {
    const { entries, next } = feedPage(this.readModel.feeds.of(callerOrgId), page);
    return { items: await this.recorded.feedEvents(callerOrgId, entries), next };
  }
}
