import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { CallerOrg } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { AuditPageDto, AuditQuery, CreatedGrantDto, CreateGrantDto, GrantDto, GrantsPageDto, ListGrantsQuery } from './grants.dto';
import { CreateGrant, RevokeGrant } from './grants.commands';
import { GetGrant, ListAuditEntries, ListGrants } from './grants.queries';

@ApiTags('sharing')
@ApiBearerAuth()
@Controller('v1/grants')
export class GrantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'grant another organization read access to one of your resources',
    description:
      'Only the owner grants; a resource that does not exist or is not yours answers 404. expiresAt must be in the future (else 400); the grantee is told by a grant.created event.',
  })
  @ApiCreatedResponse({ type: CreatedGrantDto })
  create(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Body() body: CreateGrantDto): Promise<CreatedGrantDto> {
    const { resource, granteeOrgId, purpose, scope, expiresAt } = body;
    return this.commands.execute(new CreateGrant(caller, { resource, granteeOrgId, purpose, scope, expiresAt }, context));
  }

  @Get()
  @ApiOperation({
    summary: 'grants you gave (optionally on one resource), or with granted=to-me those you received',
    description:
      'Oldest first. With resourceId and without granted=to-me, the resource must be yours (else 404). status is as of the answer: active, revoked or expired.',
  })
  @ApiOkResponse({ type: GrantsPageDto })
  list(@CallerOrg() caller: string, @Query() query: ListGrantsQuery) {
    return this.queries.execute(new ListGrants(caller, query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'one grant, for its owner or its grantee' })
  @ApiOkResponse({ type: GrantDto })
  get(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new GetGrant(caller, id));
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'revoke a grant you gave: reads under it stop at once',
    description: 'Answers the revoked grant. Not your grant: 404; already revoked: 409.',
  })
  @ApiOkResponse({ type: GrantDto })
  async revoke(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    await this.commands.execute(new RevokeGrant(caller, id, context));
    return this.queries.execute(new GetGrant(caller, id));
  }
}

@ApiTags('sharing')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'who read one of your resources under a grant, when, and under which grant; and who was refused, and why',
    description:
      'Oldest first (by the time each read or refusal was recorded). Not your resource: 404 (and the attempt is recorded in the audit trail of the resource with that id, if there is one). ' +
      'Refused attempts are kept in a log of their own, apart from the event store, so that they move no position the refused caller could see; the trail shows every refusal noted before it was asked for.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(@CallerOrg() caller: string, @Query() query: AuditQuery) {
    return this.queries.execute(new ListAuditEntries(caller, query.resourceId, query));
  }
}
