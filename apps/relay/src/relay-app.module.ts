import { Module, type DynamicModule } from '@nestjs/common';
import { RelayModule } from '@exchange/integration';
import { PlatformModule, type PlatformConfig } from '@exchange/platform';

/** The relay deployable: committed events from the event store → the events topic. */
@Module({})
export class RelayAppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return { module: RelayAppModule, imports: [PlatformModule.forRoot(config), RelayModule] };
  }
}
