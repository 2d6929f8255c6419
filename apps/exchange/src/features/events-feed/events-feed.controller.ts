import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallerOrg } from '../../http/caller';
import { PageQuery } from '../../http/pagination';
import { FeedPageDto } from './events-feed.dto';
import { GetEventsFeed } from './events-feed.queries';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsFeedController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'the events your organization may see, oldest first',
    description:
      'request.created (to the supplier), request.answered / request.rejected (to the requester), grant.created / grant.revoked (to the grantee), ' +
      'footprint.input-superseded (to the issuer of every document pinning the superseded version), attestation.created (to the footprint issuer), ' +
      'submission.received (to the regulator), submission.acknowledged (to the issuer).\n\n' +
      'Unlike other lists, `next` is always present, so that a client can poll: it is the cursor after the last item returned, ' +
      'or, when nothing is new, the `after` you sent (a cursor before your first event when you sent none). ' +
      'An empty `items` means you are up to date; ask again later with the same `next`.',
  })
  @ApiOkResponse({ type: FeedPageDto })
  list(@CallerOrg() caller: string, @Query() query: PageQuery): Promise<FeedPageDto> {
    return this.queries.execute(new GetEventsFeed(caller, query));
  }
}
