import { Injectable, Optional } from '@nestjs/common';
import { canonicalJson, conflict, fold, type Decider, type DomainEvent } from '@exchange/domain';
import { ConcurrencyError, DuplicateEventIdError, EventStore, StoreUnavailableError, type StoredEvent } from '@exchange/event-store';
import { decideAndAppend, Projector, Reactors } from '@exchange/projections';
import {
  currentIdempotentRequest,
  idempotentId,
  ReplayAtRecordedTime,
  type IdempotencyMetadata,
  type IdempotentRequest,
} from '../infrastructure/idempotency-context';

export interface Recorded {
  /** Global position of the last event appended (the head when the command caused none). */
  position: bigint;
}

/** How long a write waits for the in-process reactions before answering 503 (its events stay committed). */
const SETTLE_TIMEOUT_MS = 10_000;

const toNewEvent = (e: DomainEvent) => ({ id: crypto.randomUUID(), type: e.type, data: e.data });

/** The JSON the store keeps of an event's data, in canonical form, to compare a replay with the record. */
const storedForm = (data: unknown) => canonicalJson(JSON.parse(JSON.stringify(data ?? null)));

const alreadyApplied = () =>
  conflict(
    'idempotency-key-already-applied',
    'the request with this Idempotency-Key was already applied, but its answer cannot be given again; read the resource to see what was recorded',
  );

/**
 * The write path, the same for every aggregate: load the stream, fold it, decide, append with the
 * expected revision, then let projections and reactions settle, so that what a 2xx acknowledged
 * is visible to every later read (reactions only where they run in this process).
 *
 * Inside a POST with an Idempotency-Key (see IdempotentRequest), the events get ids derived from
 * the key and carry it in their metadata. If the stream already holds them, the request was applied
 * before (a crash, or a failure after the append, lost the answer): nothing is decided or appended
 * again, the recorded position is returned, and the caller rebuilds the same answer. The replay is
 * accepted only if deciding the command again, on the state before those events, gives exactly the
 * recorded events; otherwise (the answer held something the record does not, such as a secret) it
 * is a 409, never a second event.
 */
@Injectable()
export class EventRecorder {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    @Optional() private readonly reactors?: Reactors,
  ) {}

  async execute<State, Command>(streamId: string, decider: Decider<State, Command, DomainEvent>, command: Command): Promise<Recorded> {
    const request = currentIdempotentRequest();
    let result;
    try {
      result = request
        ? await this.decideAndAppendOnce(request, streamId, decider, command)
        : await decideAndAppend(this.store, streamId, decider, command);
    } catch (error) {
      if (error instanceof ConcurrencyError) throw conflict('concurrent-change', 'the resource was changed concurrently; read it again and retry');
      if (error instanceof DuplicateEventIdError) throw alreadyApplied();
      throw error;
    }
    if (!result) return { position: await this.store.headPosition() };
    await this.settle(result.position);
    return { position: result.position };
  }

  /**
   * Appends facts that need no decision (audit records). No reaction follows from them, so only
   * the read model is brought up to date: the record is visible to every later read.
   */
  async record(streamId: string, decided: DomainEvent[]): Promise<void> {
    await this.store.appendToStream(streamId, this.recordedEvents(streamId, decided), 'any');
    await this.projector.catchUp();
  }

  /**
   * Several records at once, one append each, then the read model is brought up to date once.
   * Records of different streams are appended together (they share one commit where the store
   * groups them); those of one stream one after the other, in the order given.
   */
  async recordAll(records: readonly { streamId: string; events: DomainEvent[] }[]): Promise<void> {
    if (records.length === 0) return;
    const byStream = new Map<string, DomainEvent[][]>();
    for (const { streamId, events } of records) {
      const appends = byStream.get(streamId);
      if (appends) appends.push(events);
      else byStream.set(streamId, [events]);
    }
    await Promise.all(
      [...byStream].map(async ([streamId, appends]) => {
        for (const events of appends) await this.store.appendToStream(streamId, this.recordedEvents(streamId, events), 'any');
      }),
    );
    await this.projector.catchUp();
  }

  private recordedEvents(streamId: string, decided: DomainEvent[]) {
    const request = currentIdempotentRequest();
    if (!request) return decided.map(toNewEvent);
    // Named after the key and the request itself: a replay of this request records nothing new,
    // while the same key reused with another request still leaves its own audit trail.
    const call = request.records.get(streamId) ?? 0;
    request.records.set(streamId, call + 1);
    const metadata = { idempotency: metadataOf(request) };
    return decided.map((e, i) => ({
      id: idempotentId(request, 'record', request.requestSha256, streamId, String(call), String(i)),
      type: e.type,
      data: e.data,
      metadata,
    }));
  }

  private async decideAndAppendOnce<State, Command>(
    request: IdempotentRequest,
    streamId: string,
    decider: Decider<State, Command, DomainEvent>,
    command: Command,
  ): Promise<{ position: bigint } | undefined> {
    const call = request.executes++;
    const idFor = (index: number) => idempotentId(request, 'execute', String(call), String(index));
    const history = await this.store.readStream(streamId);
    const replayedFrom = history.findIndex((e) => e.id === idFor(0));
    if (replayedFrom >= 0) return this.replay(request, history, replayedFrom, idFor, decider, command);
    const decided = decider.decide(command, fold(decider, history.map(domainEventOf)));
    if (decided.length === 0) return undefined;
    const expected = history.length === 0 ? 'no-stream' : history[history.length - 1]!.revision;
    const metadata = { idempotency: metadataOf(request) };
    return this.store.appendToStream(
      streamId,
      decided.map((e, i) => ({ id: idFor(i), type: e.type, data: e.data, metadata })),
      expected,
    );
  }

  private replay<State, Command>(
    request: IdempotentRequest,
    history: StoredEvent[],
    from: number,
    idFor: (index: number) => string,
    decider: Decider<State, Command, DomainEvent>,
    command: Command,
  ): { position: bigint } {
    const recorded = (history[from]!.metadata as { idempotency?: Partial<IdempotencyMetadata> } | undefined)?.idempotency;
    if (recorded?.requestSha256 !== request.requestSha256)
      throw conflict('idempotency-key-reused', 'this Idempotency-Key was already used with another request');
    if (typeof recorded.at === 'string' && recorded.at !== request.at) throw new ReplayAtRecordedTime(recorded.at);
    let decided: DomainEvent[];
    try {
      decided = decider.decide(command, fold(decider, history.slice(0, from).map(domainEventOf)));
    } catch {
      throw alreadyApplied();
    }
    const stored = history.slice(from, from + decided.length);
    const faithful =
      decided.length > 0 &&
      stored.length === decided.length &&
      stored.every((s, i) => s.id === idFor(i) && s.type === decided[i]!.type && storedForm(s.data) === storedForm(decided[i]!.data));
    if (!faithful) throw alreadyApplied();
    return { position: stored[stored.length - 1]!.position };
  }

  private async settle(position: bigint): Promise<void> {
    await this.projector.catchUp();
    if (!this.reactors) return;
    await withinTimeout(this.reactors.processedThrough(position), SETTLE_TIMEOUT_MS);
    await this.projector.catchUp();
  }
}

function metadataOf(request: IdempotentRequest): IdempotencyMetadata {
  return { keyId: request.keyId, requestSha256: request.requestSha256, at: (request.at ??= new Date().toISOString()) };
}

function domainEventOf(e: StoredEvent): DomainEvent {
  return { type: e.type, data: e.data } as DomainEvent;
}

/**
 * The events are committed; if the reactions cannot follow (their store is failing), the caller
 * gets a 503 instead of waiting forever, and a retry with the same Idempotency-Key gets the answer.
 */
async function withinTimeout(settled: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`the reactions did not settle within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
