import Database from 'better-sqlite3';
import { assertExpectedRevision, distinctStreamIds, toJsonText, validateAppend, validateOptionalCount, validateStreamId } from '../append-rules';
import { CatchUpSubscription } from '../catch-up-subscription';
import {
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoreUnavailableError,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { guarded, isTransient, translateAppendError, translateSqliteError } from './sqlite-errors';
import { openDatabase, SqliteOpenOptions } from './sqlite-schema';
import { EventInsert, SqliteStatements, StoredIdRow } from './sqlite-statements';

export type { SqliteOpenOptions } from './sqlite-schema';

/**
 * The embedded adapter: one SQLite file in WAL mode. Appends made while the event loop is busy are
 * committed together (group commit): one transaction, one durable write, each append in its own
 * savepoint so that a refused one changes nothing and does not affect the others. Subscriptions on
 * this instance are woken after each commit.
 */
export class SqliteEventStore extends EventStore {
  private readonly statements: SqliteStatements;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly commitGroup: (group: PendingAppend[]) => GroupOutcome[];
  private pending: PendingAppend[] = [];
  private closed = false;

  private constructor(private readonly db: Database.Database) {
    super();
    this.statements = new SqliteStatements(db);
    // Called inside the group's transaction, better-sqlite3 runs this one as a savepoint.
    const appendOne = db.transaction((item: PendingAppend) => this.appendWithinTransaction(item.streamId, item.events, item.expected));
    // IMMEDIATE takes the write lock up front, so the expectation checks and the inserts see one state.
    // A group of one needs no savepoint: if it fails, the whole transaction rolls back and flush() rejects it.
    const group = db.transaction((items: PendingAppend[]): GroupOutcome[] =>
      items.length === 1
        ? [{ ok: true, outcome: this.appendWithinTransaction(items[0]!.streamId, items[0]!.events, items[0]!.expected) }]
        : items.map((item) => this.attempt(() => appendOne(item), item)),
    );
    this.commitGroup = (items) => group.immediate(items);
  }

  static open(filePath: string, options: SqliteOpenOptions = {}): SqliteEventStore {
    return guarded(`open ${filePath}`, () => {
      const db = openDatabase(filePath, options);
      try {
        return new SqliteEventStore(db);
      } catch (error) {
        db.close();
        throw error;
      }
    });
  }

  override async appendToStream(streamId: string, events: NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const serialized = events.map(serialize);
    return new Promise<AppendResult>((resolve, reject) => {
      if (this.pending.push({ streamId, events: serialized, expected, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  override async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    validateStreamId(streamId);
    validateOptionalCount('fromRevision', options.fromRevision);
    validateOptionalCount('maxCount', options.maxCount);
    const fromRevision = options.fromRevision ?? 0;
    return guarded(`read stream ${streamId}`, () => this.statements.readStream(streamId, fromRevision, options.maxCount));
  }

  override async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const distinct = distinctStreamIds(streamIds);
    const result = new Map<string, StoredEvent[]>();
    for (let start = 0; start < distinct.length; start += STREAMS_PER_QUERY) {
      // Between chunks, the event loop gets a turn: a long list does not hold up other requests.
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const chunk = distinct.slice(start, start + STREAMS_PER_QUERY);
      const read = guarded(`read ${chunk.length} streams`, () => this.statements.readStreams(chunk));
      for (const [streamId, events] of read) result.set(streamId, events);
    }
    return result;
  }

  override async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    validateOptionalCount('maxCount', options.maxCount);
    return guarded('read all', () => this.statements.readAll(options.after ?? 0n, options.maxCount));
  }

  override async headPosition(): Promise<bigint> {
    return guarded('read head position', () => this.statements.headPosition());
  }

  override async checkpoint(checkpointId: string): Promise<bigint> {
    return guarded('read checkpoint', () => this.statements.checkpoint(checkpointId));
  }

  override async subscribeToAll(options: SubscribeOptions): Promise<Subscription> {
    validateSubscribeOptions(options);
    if (this.closed) throw new StoreUnavailableError('event store is closed');
    const start = guarded('read checkpoint', () => this.statements.checkpoint(options.checkpointId));
    // A full disk or a failed read or write passes: the subscription waits and tries again rather
    // than stopping for good (its consumers would stay stopped until a restart). What does not pass
    // by itself (read-only, closed) still stops it, with onError.
    let stopping = false;
    const givenUp = () => stopping || this.closed;
    const source = {
      readAfter: (position: bigint, maxCount: number) => retryWhileTransient('read all', () => this.statements.readAll(position, maxCount), givenUp),
      saveCheckpoint: (checkpointId: string, position: bigint) =>
        retryWhileTransient('store checkpoint', () => this.statements.saveCheckpoint(checkpointId, position), givenUp),
    };
    const subscription = new CatchUpSubscription(source, options, start, (finished) => this.subscriptions.delete(finished));
    this.subscriptions.add(subscription);
    return {
      stop: () => {
        stopping = true;
        return subscription.stop();
      },
    };
  }

  /** Stops every subscription (letting in-flight handlers finish), then closes the file. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  /** Commits every append waiting for the next turn of the event loop in one transaction. */
  private flush(): void {
    const group = this.pending;
    this.pending = [];
    let outcomes: GroupOutcome[];
    try {
      outcomes = this.commitGroup(group);
    } catch (error) {
      for (const item of group) item.reject(this.translate(error, item));
      return;
    }
    if (outcomes.some((o) => o.ok && o.outcome.written)) this.notifySubscriptions();
    outcomes.forEach((o, i) => (o.ok ? group[i]!.resolve(o.outcome.result) : group[i]!.reject(o.error)));
  }

  private attempt(append: () => AppendOutcome, item: PendingAppend): GroupOutcome {
    try {
      return { ok: true, outcome: append() };
    } catch (error) {
      return { ok: false, error: this.translate(error, item) };
    }
  }

  private translate(error: unknown, item: PendingAppend): unknown {
    return translateAppendError(error, item.streamId, item.expected, () => this.statements.lastRevision(item.streamId));
  }

  private appendWithinTransaction(streamId: string, events: SerializedEvent[], expected: ExpectedRevision): AppendOutcome {
    const replayed = this.findReplayedBatch(streamId, events);
    if (replayed) return { written: false, result: replayed };
    const lastRevision = this.statements.lastRevision(streamId);
    assertExpectedRevision(streamId, expected, lastRevision);
    const firstRevision = lastRevision === 'no-stream' ? 0 : lastRevision + 1;
    const recordedAt = new Date().toISOString();
    let position = 0n;
    events.forEach((event, index) => {
      try {
        position = this.statements.insert({ ...event, streamId, revision: firstRevision + index, recordedAt });
      } catch (error) {
        if (index > 0 && this.statements.storedId(event.eventId) !== undefined) throw new DuplicateEventIdError(streamId, [event.eventId]);
        throw error;
      }
    });
    return { written: true, result: { nextExpectedRevision: firstRevision + events.length - 1, position } };
  }

  /**
   * The batch is a replay when every id is already stored in this stream, in batch order: the
   * caller gets the stream's state back and the expectation is not checked. A partial match is
   * refused rather than half-applied.
   */
  private findReplayedBatch(streamId: string, events: SerializedEvent[]): AppendResult | undefined {
    // A replay starts with a stored id; otherwise a later stored id fails the insert on the unique
    // event id, which appendWithinTransaction reports as a DuplicateEventIdError.
    if (this.statements.storedId(events[0]!.eventId) === undefined) return undefined;
    const stored = events.map((event) => this.statements.storedId(event.eventId));
    if (stored.every((row) => row === undefined)) return undefined;
    if (!isSameBatchInStream(stored, streamId)) {
      const storedIds = events.filter((_, index) => stored[index] !== undefined).map((event) => event.eventId);
      throw new DuplicateEventIdError(streamId, storedIds);
    }
    const lastRevision = this.statements.lastRevision(streamId) as number;
    return { nextExpectedRevision: lastRevision, position: stored[stored.length - 1]!.position };
  }

  private notifySubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.notifyAppended();
  }
}

type SerializedEvent = Omit<EventInsert, 'streamId' | 'revision' | 'recordedAt'>;

interface AppendOutcome {
  written: boolean;
  result: AppendResult;
}

interface PendingAppend {
  streamId: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type GroupOutcome = { ok: true; outcome: AppendOutcome } | { ok: false; error: unknown };

function isSameBatchInStream(stored: (StoredIdRow | undefined)[], streamId: string): stored is StoredIdRow[] {
  return stored.every((row, index) => row !== undefined && row.stream_id === streamId && (index === 0 || row.revision > stored[index - 1]!.revision));
}

function serialize(event: NewEvent): SerializedEvent {
  return {
    eventId: event.id,
    type: event.type,
    dataJson: toJsonText(event.data ?? null, `data of event ${event.id}`),
    metadataJson: toJsonText(event.metadata ?? {}, `metadata of event ${event.id}`),
  };
}

function validateSubscribeOptions(options: SubscribeOptions): void {
  if (typeof options?.checkpointId !== 'string' || options.checkpointId.length === 0) {
    throw new TypeError('checkpointId must be a non-empty string');
  }
  if (typeof options.handler !== 'function') throw new TypeError('handler must be a function');
}

/** How many streams one query of readStreams reads. */
const STREAMS_PER_QUERY = 500;

const RETRY_FIRST_DELAY_MS = 50;
const RETRY_MAX_DELAY_MS = 1000;

/**
 * Runs a subscription's store operation, waiting and trying again (50 ms doubling to 1 s) while
 * it fails transiently (disk full, I/O error, busy) and `givenUp()` is false; any other failure,
 * or a transient one once given up, is thrown translated.
 */
async function retryWhileTransient<T>(operation: string, work: () => T, givenUp: () => boolean): Promise<T> {
  for (let delay = RETRY_FIRST_DELAY_MS; ; delay = Math.min(delay * 2, RETRY_MAX_DELAY_MS)) {
    try {
      return work();
    } catch (error) {
      if (!isTransient(error) || givenUp()) throw translateSqliteError(error, operation);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
