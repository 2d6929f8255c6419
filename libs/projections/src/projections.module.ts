import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Readiness } from '@exchange/platform';
import { Projector } from './projector';
import { Reactors } from './reactors';
import { ReadModel } from './read-model';
import { RecordedFacts } from './recorded-facts';
import { RefusalTrail } from './refusal-trail';

/** The read model, its projector and what reads back the facts it leaves in the store (every process that answers queries keeps its own). */
@Module({ providers: [ReadModel, Projector, RecordedFacts, RefusalTrail], exports: [ReadModel, Projector, RecordedFacts, RefusalTrail] })
export class ReadModelModule {}

@Injectable()
class ReactionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private started = false;

  constructor(
    private readonly projector: Projector,
    private readonly reactors: Reactors,
    readiness: Readiness,
  ) {
    readiness.register('reactions', () => this.started);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.catchUp();
    await this.reactors.start();
    this.started = true;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.reactors.stop();
  }
}

/** The reactions: follow-up facts on a checkpointed subscription. */
@Module({ imports: [ReadModelModule], providers: [Reactors, ReactionsLifecycle], exports: [Reactors] })
export class ReactionsModule {}
