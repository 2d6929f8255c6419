import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from './http/caller';
import { Lifecycle } from './lifecycle';
import { ReadModel } from '@exchange/projections';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly readModel: ReadModel,
  ) {}

  @Get('health')
  @Public()
  health() {
    if (!this.lifecycle.ready) throw new ServiceUnavailableException('starting');
    return { status: 'ok', position: String(this.readModel.position) };
  }
}
