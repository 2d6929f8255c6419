import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '@exchange/domain';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { paginate } from '../../http/pagination';
import { ReadModel } from '../../read-model/read-model';
import type { RequestView } from '../../read-model/views';
import { AnswerRequestDto, CreateRequestDto, ListRequestsQuery, RejectRequestDto } from './requests.dto';
import { AnswerRequest, CreateRequest, RejectRequest } from './requests.commands';

const render = ({ position: _position, ...request }: RequestView) => request;

@ApiTags('requests')
@ApiBearerAuth()
@Controller('v1/requests')
export class RequestsController {
  constructor(private readonly commands: CommandBus, private readonly readModel: ReadModel) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  create(@CallerOrg() caller: string, @Body() body: CreateRequestDto) {
    return this.commands.execute(new CreateRequest(caller, { kind: body.kind, supplierOrgId: body.supplierOrgId, supplierPartId: body.supplierPartId, message: body.message, dueDate: body.dueDate }));
  }

  @Get()
  list(@CallerOrg() caller: string, @Query() query: ListRequestsQuery) {
    const mine = [...this.readModel.requests.values()].filter(
      (r) =>
        ((query.direction !== 'outbound' && r.supplierOrgId === caller) || (query.direction !== 'inbound' && r.requesterOrgId === caller)) &&
        (query.status === undefined || r.status === query.status),
    );
    return paginate(mine, (r) => r.position, query, render);
  }

  @Get(':id')
  get(@CallerOrg() caller: string, @Param('id', ParseUUIDPipe) id: string) {
    return render(this.visible(caller, id));
  }

  @Post(':id/answer')
  @HttpCode(200)
  async answer(@CallerOrg() caller: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: AnswerRequestDto) {
    await this.commands.execute(new AnswerRequest(caller, id, body.documentId));
    return render(this.visible(caller, id));
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@CallerOrg() caller: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: RejectRequestDto) {
    await this.commands.execute(new RejectRequest(caller, id, body.reason));
    return render(this.visible(caller, id));
  }

  private visible(caller: string, id: string): RequestView {
    const request = this.readModel.requests.get(id);
    if (!request || (request.requesterOrgId !== caller && request.supplierOrgId !== caller)) throw notFound('request-not-found', 'no such request');
    return request;
  }
}
