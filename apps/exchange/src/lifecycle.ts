import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@exchange/event-store';
import { IdempotencyStore } from './infrastructure/idempotency-store';
import { Projector } from './pipeline/projector';
import { Reactors } from './pipeline/reactors';

/** Start: rebuild the read model from history, then resume reactions. Stop: close the stores last. */
@Injectable()
export class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  ready = false;

  constructor(
    private readonly store: EventStore,
    private readonly idempotency: IdempotencyStore,
    private readonly projector: Projector,
    private readonly reactors: Reactors,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.catchUp();
    await this.reactors.start();
    await this.projector.catchUp();
    this.ready = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.ready = false;
    await this.reactors.stop();
    await this.store.close();
    this.idempotency.close();
  }
}
