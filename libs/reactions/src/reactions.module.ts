import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Readiness } from '@exchange/platform';
import { streams } from '@exchange/domain';
import { Projector, ReadModel, ReadModelModule } from '@exchange/projections';
import { Reactions } from './reactions';

@Injectable()
class ReactionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    private readonly reactions: Reactions,
    readModel: ReadModel,
    readiness: Readiness,
  ) {
    readiness.register('reactions', () => this.reactions.running);
    readiness.notice('reactions-parked', () => {
      const parked = readModel.parkedReactions.count;
      return parked === 0
        ? undefined
        : `${parked} follow-up fact(s) refused by the domain and passed over: reaction.parked events in stream ${streams.parkedReactions()}, listed by GET /v1/operations/parked-reactions`;
    });
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
