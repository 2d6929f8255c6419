import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '@exchange/domain';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { PageQuery, paginate } from '../../http/pagination';
import { ReadModel } from '../../read-model/read-model';
import type { PartView } from '../../read-model/views';
import { RegisterPartDto, SetBomDto } from './parts.dto';
import { RegisterPart, SetBom } from './parts.commands';

const render = ({ position: _position, ...part }: PartView) => part;

@ApiTags('parts')
@ApiBearerAuth()
@Controller('v1/parts')
export class PartsController {
  constructor(private readonly commands: CommandBus, private readonly readModel: ReadModel) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  register(@CallerOrg() caller: string, @Body() body: RegisterPartDto) {
    return this.commands.execute(new RegisterPart(caller, { partNumber: body.partNumber, name: body.name, declaredUnit: body.declaredUnit }));
  }

  @Get()
  list(@CallerOrg() caller: string, @Query() query: PageQuery) {
    const mine = [...this.readModel.parts.values()].filter((p) => p.ownerOrgId === caller);
    return paginate(mine, (p) => p.position, query, render);
  }

  @Get(':id')
  get(@CallerOrg() caller: string, @Param('id', ParseUUIDPipe) id: string) {
    return render(this.ownPart(caller, id));
  }

  @Put(':id/bom')
  @AllowedCallers('supplier', 'oem')
  async setBom(@CallerOrg() caller: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: SetBomDto) {
    await this.commands.execute(new SetBom(caller, id, body.inputs));
    return render(this.ownPart(caller, id));
  }

  private ownPart(caller: string, id: string): PartView {
    const part = this.readModel.parts.get(id);
    if (!part || part.ownerOrgId !== caller) throw notFound('part-not-found', 'no such part');
    return part;
  }
}
