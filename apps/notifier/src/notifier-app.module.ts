import { Module, type DynamicModule } from '@nestjs/common';
import { NotifierModule } from '@exchange/integration';
import { PlatformModule, type PlatformConfig } from '@exchange/platform';

/** The notifier deployable: the events topic → each organization's signed inbox topic. */
@Module({})
export class NotifierAppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return { module: NotifierAppModule, imports: [PlatformModule.forRoot(config), NotifierModule] };
  }
}
