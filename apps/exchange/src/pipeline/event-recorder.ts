import { Injectable } from '@nestjs/common';
import { conflict, fold, type Decider, type DomainEvent } from '@exchange/domain';
import { ConcurrencyError, EventStore, type StoredEvent } from '@exchange/event-store';
import { Projector } from './projector';
import { Reactors } from './reactors';

export interface Recorded {
  events: StoredEvent[];
  position: bigint;
}


/**
 * The write path, the same for every aggregate: load the stream, fold it, decide, append with the
 * expected revision, then let projections and reactions settle, so that what a 2xx acknowledged
 * is visible to every later read.
 */
@Injectable()
export class EventRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    private readonly reactors: Reactors,
  ) {}

  async execute<State, Command>(
    streamId: string,
    decider: Decider<State, Command, DomainEvent>,
    command: Command,
    options: { eventIds?: string[]; metadata?: Record<string, unknown> } = {},
  ): Promise<Recorded> {
    const history = await this.store.readStream(streamId);
    const state = fold(decider, history.map((e) => ({ type: e.type, data: e.data }) as DomainEvent));
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { events: [], position: await this.store.headPosition() };
    const expected = history.length === 0 ? 'no-stream' : history[history.length - 1]!.revision;
    const newEvents = decided.map((e, i) => ({ id: options.eventIds?.[i] ?? crypto.randomUUID(), type: e.type, data: e.data, metadata: options.metadata ?? {} }));
    let result;
    try {
      result = await this.store.appendToStream(streamId, newEvents, options.eventIds ? 'any' : expected);
    } catch (error) {
      if (error instanceof ConcurrencyError) throw conflict('concurrent-change', 'the resource was changed concurrently; read it again and retry');
      throw error;
    }
    await this.settle(result.position);
    const events = await this.store.readStream(streamId, { fromRevision: result.nextExpectedRevision - newEvents.length + 1 });
    return { events, position: result.position };
  }

  /** Appends facts that need no decision (audit records), then settles. */
  async record(streamId: string, decided: DomainEvent[]): Promise<void> {
    const result = await this.store.appendToStream(streamId, decided.map((e) => ({ id: crypto.randomUUID(), type: e.type, data: e.data })), 'any');
    await this.settle(result.position);
  }

  private async settle(position: bigint): Promise<void> {
    await this.projector.catchUp();
    await this.reactors.processedThrough(position);
    await this.projector.catchUp();
  }
}
