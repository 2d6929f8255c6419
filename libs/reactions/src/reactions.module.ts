import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Readiness } from '@exchange/platform';
import { Projector, ReadModelModule } from '@exchange/projections';
import { Reactions } from './reactions';

@Injectable()
class ReactionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    private readonly reactions: Reactions,
    readiness: Readiness,
  ) {
    readiness.register('reactions', () => this.reactions.running);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.catchUp();
    await this.reactions.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.reactions.stop();
  }
}

/** The reactions: follow-up facts on a checkpointed subscription. */
@Module({ imports: [ReadModelModule], providers: [Reactions, ReactionsLifecycle], exports: [Reactions] })
export class ReactionsModule {}
