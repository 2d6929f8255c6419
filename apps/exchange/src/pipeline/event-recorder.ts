import { Injectable, Optional } from '@nestjs/common';
import { conflict, type Decider, type DomainEvent } from '@exchange/domain';
import { ConcurrencyError, EventStore } from '@exchange/event-store';
import { decideAndAppend, Projector, Reactors } from '@exchange/projections';

export interface Recorded {
  /** Global position of the last event appended (the head when the command caused none). */
  position: bigint;
}


const toNewEvent = (e: DomainEvent) => ({ id: crypto.randomUUID(), type: e.type, data: e.data });

/**
 * The write path, the same for every aggregate: load the stream, fold it, decide, append with the
 * expected revision, then let projections and reactions settle, so that what a 2xx acknowledged
 * is visible to every later read (reactions only where they run in this process).
 */
@Injectable()
export class EventRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    @Optional() private readonly reactors?: Reactors,
  ) {}

  async execute<State, Command>(streamId: string, decider: Decider<State, Command, DomainEvent>, command: Command): Promise<Recorded> {
    let result;
    try {
      result = await decideAndAppend(this.store, streamId, decider, command);
    } catch (error) {
      if (error instanceof ConcurrencyError) throw conflict('concurrent-change', 'the resource was changed concurrently; read it again and retry');
      throw error;
    }
    if (!result) return { position: await this.store.headPosition() };
    await this.settle(result.position);
    return { position: result.position };
  }

  /** Appends facts that need no decision (audit records), then settles. */
  async record(streamId: string, decided: DomainEvent[]): Promise<void> {
    const result = await this.store.appendToStream(streamId, decided.map(toNewEvent), 'any');
    await this.settle(result.position);
  }

  private async settle(position: bigint): Promise<void> {
    await this.projector.catchUp();
    if (!this.reactors) return;
    await this.reactors.processedThrough(position);
    await this.projector.catchUp();
  }
}
