import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowedCallers } from '../../http/caller';
import { ParkedReactionsQuery } from './operations.queries';

@ApiTags('operations')
@Controller()
export class ParkedReactionsController {
  constructor(private readonly parked: ParkedReactionsQuery) {}

  @Get('v1/operations/parked-reactions')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'follow-up facts the domain refused and the reactions passed over (operator); /health/ready counts them' })
  @AllowedCallers('operator')
  list() {
    return this.parked.all();
  }
}
