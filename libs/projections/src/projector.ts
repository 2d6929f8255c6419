import { Injectable } from '@nestjs/common';
import { EventStore } from '@exchange/event-store';
import { ReadModel } from './read-model';

/**
 * Events read per query while catching up. Small on purpose: a page stays alive until it is applied,
 * so a young-generation collection in the middle of one promotes all of it to the old generation;
 * with pages of 1000 the heap of an exchange rebuilding a large history peaked a third higher.
 */
const PAGE = 250;

/**
 * Keeps the read model current: applies every committed event after the model's position, in
 * global order. Calls are serialized, so concurrent callers never apply an event twice.
 */
@Injectable()
export class Projector {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModel,
  ) {}

  catchUp(): Promise<void> {
    // A failed catch-up fails its callers only: the next one reads again.
    this.running = this.running.catch(() => undefined).then(() => this.applyNewEvents());
    return this.running;
  }

  private async applyNewEvents(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ after: this.readModel.position, maxCount: PAGE });
      for (const stored of batch) this.readModel.apply(stored);
      if (batch.length < PAGE) return;
    }
  }
}
