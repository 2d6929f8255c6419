import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type PlatformConfig } from '@exchange/platform';
import { ReactionsModule } from '@exchange/reactions';

/** The reactor deployable: follow-up facts (grants, superseded-input notices) on a checkpointed subscription. */
@Module({})
export class ReactorAppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return { module: ReactorAppModule, imports: [PlatformModule.forRoot(config), ReactionsModule] };
  }
}
