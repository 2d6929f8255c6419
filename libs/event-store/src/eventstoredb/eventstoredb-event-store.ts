import { END, EventStoreDBClient, excludeSystemEvents } from '@eventstore/db-client';
import { distinctStreamIds, validateAppend, validateOptionalCount, validateStreamId } from '../append-rules';
import { CatchUpSource, CatchUpSubscription } from '../catch-up-subscription';
import {
  AppendResult,
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
import { AllStreamReader } from './all-stream-reader';
import { Appender } from './appender';
import { CheckpointStore } from './checkpoint-store';
import { EsdbClient } from './esdb-client';
import { rejectReservedStreamId, toEventData } from './event-mapping';
import { translateError } from './eventstoredb-errors';
import { LiveDoorbell } from './live-doorbell';
import { readManyStreams, readStreamEvents } from './stream-reads';

/**
 * The distributed profile's adapter (EventStoreDB 22.6 or later). Positions are $all commit
 * positions: strictly increasing, not contiguous. Reads of $all leave out system events and the
 * adapter's own streams (checkpoints, event id claims). Appends follow the port's rules (see
 * Appender). Subscriptions are the library's catch-up loop, woken by this instance's appends and
 * by a live $all subscription, so they behave exactly as the SQLite adapter's do.
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly appender: Appender;
  private readonly all: AllStreamReader;
  private readonly checkpoints: CheckpointStore;
  private readonly doorbell: LiveDoorbell;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closed = false;

  private constructor(private readonly client: EsdbClient) {
    super();
    this.appender = new Appender(client);
    this.all = new AllStreamReader(client);
    this.checkpoints = new CheckpointStore(client);
    this.doorbell = new LiveDoorbell(
      () => client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() }),
      () => this.notifySubscriptions(),
    );
  }

  /** E.g. `esdb://localhost:2113?tls=false`. The client connects lazily, on the first operation. */
  static connect(connectionString: string): EventStoreDbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(connectionString);
    } catch (error) {
      throw new TypeError(`invalid EventStoreDB connection string: ${(error as Error).message}`, { cause: error });
    }
    return new EventStoreDbEventStore(client);
  }

  /** With a client configured by the caller (or a test double). */
  static fromClient(client: EsdbClient): EventStoreDbEventStore {
    return new EventStoreDbEventStore(client);
  }

  override async appendToStream(streamId: string, events: NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    rejectReservedStreamId(streamId);
    const eventData = events.map(toEventData);
    const append = () => this.appender.append(streamId, eventData, expected);
    const result = await this.guarded(`append to ${streamId}`, append);
    this.notifySubscriptions();
    return result;
  }

  override async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    validateStreamId(streamId);
    validateOptionalCount('fromRevision', options.fromRevision);
    validateOptionalCount('maxCount', options.maxCount);
    return this.guarded(`read stream ${streamId}`, () => readStreamEvents(this.client, streamId, options));
  }

  override async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const distinct = distinctStreamIds(streamIds);
    return this.guarded(`read ${distinct.length} streams`, () => readManyStreams(this.client, distinct));
  }

  override async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    validateOptionalCount('maxCount', options.maxCount);
    return this.guarded('read all', () => this.all.readAfter(options.after ?? 0n, options.maxCount));
  }

  override async headPosition(): Promise<bigint> {
    return this.guarded('read head position', () => this.all.lastApplicationPosition());
  }

  override async checkpoint(checkpointId: string): Promise<bigint> {
    return this.guarded('read checkpoint', () => this.checkpoints.read(checkpointId));
  }

  override async subscribeToAll(options: SubscribeOptions): Promise<Subscription> {
    validateSubscribeOptions(options);
    const start = await this.guarded('start subscription', async () => {
      await this.checkpoints.keepOnlyLatest(options.checkpointId);
      return this.checkpoints.read(options.checkpointId);
    });
    this.doorbell.start();
    const subscription = new CatchUpSubscription(this.catchUpSource(), options, start, (finished) => this.subscriptions.delete(finished));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Stops every subscription (letting in-flight handlers finish and checkpoint), then the client. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.doorbell.stop();
    await this.client.dispose();
  }

  /** Used by subscriptions, which keep working while close() waits for them to stop. */
  private catchUpSource(): CatchUpSource {
    return {
      readAfter: (position, maxCount) => this.translated('read all', () => this.all.readAfter(position, maxCount)),
      saveCheckpoint: (checkpointId, position) => this.translated('store checkpoint', () => this.checkpoints.save(checkpointId, position)),
    };
  }

  private notifySubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.notifyAppended();
  }

  private async guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError(`event store is closed (${operation})`);
    return this.translated(operation, work);
  }

  private async translated<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateError(error, operation);
    }
  }
}

function validateSubscribeOptions(options: SubscribeOptions): void {
  if (typeof options?.checkpointId !== 'string' || options.checkpointId.length === 0) {
    throw new TypeError('checkpointId must be a non-empty string');
  }
  if (typeof options.handler !== 'function') throw new TypeError('handler must be a function');
}
