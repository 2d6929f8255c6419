import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { AnswerRequestDto, CreateRequestDto, ListRequestsQuery, RejectRequestDto } from './requests.dto';
import { AnswerRequest, CreateRequest, RejectRequest } from './requests.commands';
import { GetRequest, ListRequests } from './requests.queries';

@ApiTags('requests')
@ApiBearerAuth()
@Controller('v1/requests')
export class RequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  create(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Body() body: CreateRequestDto) {
    return this.commands.execute(
      new CreateRequest(
        caller,
        {
          kind: body.kind,
          supplierOrgId: body.supplierOrgId,
          supplierPartId: body.supplierPartId,
          message: body.message,
          dueDate: body.dueDate,
        },
        context,
      ),
    );
  }

  @Get()
  list(@CallerOrg() caller: string, @Query() query: ListRequestsQuery) {
    return this.queries.execute(new ListRequests(caller, query));
  }

  @Get(':id')
  get(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new GetRequest(caller, id));
  }

  @Post(':id/answer')
  @HttpCode(200)
  async answer(
    @WriteContext() context: CommandContext,
    @CallerOrg() caller: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: AnswerRequestDto,
  ) {
    await this.commands.execute(new AnswerRequest(caller, id, body.documentId, context));
    return this.queries.execute(new GetRequest(caller, id));
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(
    @WriteContext() context: CommandContext,
    @CallerOrg() caller: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: RejectRequestDto,
  ) {
    await this.commands.execute(new RejectRequest(caller, id, body.reason, context));
    return this.queries.execute(new GetRequest(caller, id));
  }
}
