import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { PageQuery } from '../../http/pagination';
import { RegisterPartDto, SetBomDto } from './parts.dto';
import { RegisterPart, SetBom } from './parts.commands';
import { GetPart, ListParts } from './parts.queries';

@ApiTags('parts')
@ApiBearerAuth()
@Controller('v1/parts')
export class PartsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  register(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Body() body: RegisterPartDto) {
    return this.commands.execute(
      new RegisterPart(caller, { partNumber: body.partNumber, name: body.name, declaredUnit: body.declaredUnit }, context),
    );
  }

  @Get()
  list(@CallerOrg() caller: string, @Query() query: PageQuery) {
    return this.queries.execute(new ListParts(caller, query));
  }

  @Get(':id')
  get(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new GetPart(caller, id));
  }

  @Put(':id/bom')
  @AllowedCallers('supplier', 'oem')
  async setBom(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Body() body: SetBomDto) {
    await this.commands.execute(new SetBom(caller, id, body.inputs, context));
    return this.queries.execute(new GetPart(caller, id));
  }
}
