/**
 * The event store port. Adapters: embedded SQLite (this library) and EventStoreDB (distributed
 * profile). Every adapter must pass `testing/event-store.contract.ts`.
 */

/** An event as the application hands it to the store. `type` is a stable string name. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** UUID; appending an event whose id is already stored in that stream is a no-op (idempotent append). */
  id: string;
  type: Type;
  data: Data;
  metadata?: Record<string, unknown>;
}

export interface StoredEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  streamId: string;
  /** 0-based index of the event within its stream. */
  revision: number;
  /** 1-based global position, strictly increasing across all streams in commit order. */
  position: bigint;
  /** RFC 3339 UTC time at which the store committed the event. */
  recordedAt: string;
  metadata: Record<string, unknown>;
}

/**
 * What the caller expects the stream's last revision to be:
 * - 'any': no check;
 * - 'no-stream': the stream must not exist;
 * - 'stream-exists': the stream must have at least one event;
 * - a number: the revision of the stream's last event (so -1 is not allowed: use 'no-stream').
 */
export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: number;
  /** Global position of the last event appended (or already stored, for an idempotent replay). */
  position: bigint;
}

export interface ReadAllOptions {
  /** Read events strictly after this global position (default: from the beginning). */
  after?: bigint;
  maxCount?: number;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export type EventHandler = (event: StoredEvent) => Promise<void> | void;

export interface Subscription {
  /** Stops delivering; resolves once the handler in flight (if any) finished and the checkpoint is stored. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Name under which the subscription's checkpoint (last handled position) is kept durably. */
  checkpointId: string;
  handler: EventHandler;
  /**
   * Called once when the subscription stops on its own: the handler threw (the checkpoint stays
   * before the failed event) or the store could not read or store the checkpoint.
   */
  onError?: (error: unknown, event?: StoredEvent) => void;
}

export abstract class EventStore {
  /** Appends atomically, in order, to one stream. Throws ConcurrencyError on an unmet expectation. */
  abstract appendToStream(streamId: string, events: NewEvent[], expected?: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; an unknown stream reads as []. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Every event of each of several streams, in revision order, keyed by stream id: one call for
   * what would otherwise be one `readStream` per stream (e.g. a whole tier of a supply chain).
   * Every id asked for has an entry (an unknown stream reads as []); repeated ids are read once.
   * Like that many `readStream` calls, it promises no single snapshot across the streams.
   */
  abstract readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  /** Events of all streams in global order. */
  abstract readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Global position of the last committed event (0n when empty). */
  abstract headPosition(): Promise<bigint>;
  /**
   * Catch-up subscription to all events: delivers each event after the stored checkpoint, in
   * order, then keeps delivering new ones as they are committed. The checkpoint advances after
   * each handled event; a handler that throws stops the subscription at that event.
   */
  abstract subscribeToAll(options: SubscribeOptions): Promise<Subscription>;
  /** The stored checkpoint of a subscription: the last position it handled (0n when none). */
  abstract checkpoint(checkpointId: string): Promise<bigint>;
  abstract close(): Promise<void>;
}

/** The stream's revision did not meet the caller's expectation (a concurrent change). */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Some ids of the batch are already stored, but not as a replay of the same batch in the same
 * stream (only part of the batch is stored, the order differs, or an id belongs to another stream).
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
  ) {
    super(`stream ${streamId}: event ids already stored elsewhere or in part: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** The store cannot take writes (disk full, read-only, closed): the caller may retry later. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
