import {
  ANY,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  AppendResult,
  Direction,
  EventData,
  Filter,
  ReadPosition,
  ReadRevision,
  StreamMetadata,
} from '@eventstore/db-client';
import type { EsdbClient } from './esdb-client';
import { FakeLiveFeed, FakeRecord, NewRecord, toResolved } from './fake-eventstoredb-parts';

/**
 * A test double for the parts of EventStoreDB the adapter uses, modelled on the server's
 * documented behaviour where the adapter depends on it:
 * - positions are log byte offsets (with gaps), and $all interleaves system events: a `$>` link
 *   per event in `$ce-<category>` (the by-category projection) and `$metadata` events;
 * - idempotency as the server checks it (IndexWriter.CheckCommit): ANY looks the ids up by id,
 *   without checking their order; a revision compares the events right after it; a partial
 *   match is a wrong expected version; ids are unique per stream only;
 * - a read of $all from where no event starts finds nothing (a real server errors or finds nothing);
 * - stream reads carry $all positions (servers 22.6+); an unknown stream is StreamNotFoundError;
 * - maxCount metadata hides all but the latest events of a stream;
 * - a live subscription confirms, then pushes what is committed after it.
 * Passing tests on it prove the adapter's logic against that model, not the server itself.
 */
export class FakeEventStoreDbClient {
  private readonly log: FakeRecord[] = [];
  private readonly streams = new Map<string, FakeRecord[]>();
  private readonly byId = new Map<string, FakeRecord>();
  private readonly maxCounts = new Map<string, number>();
  private readonly feeds = new Set<FakeLiveFeed>();
  private nextPosition = 4_096n;
  private offline = false;
  private readonly interferences = new Map<string, () => Promise<unknown>>();

  constructor() {
    this.write('$epoch-information', [{ id: crypto.randomUUID(), type: '$epoch', data: '{}', json: true }]);
  }

  asClient(): EsdbClient {
    return this as unknown as EsdbClient;
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  /** Runs `interfere` right before the next append to `streamName` is checked, as a concurrent writer would. */
  beforeNextAppendTo(streamName: string, interfere: () => Promise<unknown>): void {
    this.interferences.set(streamName, interfere);
  }

  /** Ends every live subscription with an error, as a server restart would. */
  dropLiveSubscriptions(): void {
    for (const feed of [...this.feeds]) feed.fail(new UnavailableError(undefined, 'connection lost'));
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    { expectedRevision = ANY }: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.assertOnline();
    await this.interfere(streamName);
    const batch = Array.isArray(events) ? events : [events];
    const outcome = this.checkCommit(
      streamName,
      expectedRevision,
      batch.map((event) => event.id),
    );
    if (outcome === 'wrong-expected-version') {
      const current = this.lastRevision(streamName);
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: expectedRevision,
        current: current < 0 ? NO_STREAM : BigInt(current),
      });
    }
    const last = outcome === 'write' ? this.writeBatch(streamName, batch) : outcome;
    const position = { commit: last.position, prepare: last.position };
    return { success: true, nextExpectedRevision: BigInt(last.revision), position };
  }

  readStream(streamName: string, options: { fromRevision?: ReadRevision; maxCount?: number | bigint; direction?: Direction } = {}) {
    const { fromRevision = START, maxCount = Number.MAX_SAFE_INTEGER, direction = FORWARDS } = options;
    return this.reading(() => {
      if (!this.streams.has(streamName)) throw new StreamNotFoundError(undefined, streamName);
      const visible = this.visibleEvents(streamName);
      const from = fromRevision === START ? 0 : fromRevision === END ? Infinity : Number(fromRevision);
      const selected =
        direction === FORWARDS ? visible.filter((record) => record.revision >= from) : visible.filter((record) => record.revision <= from).reverse();
      return selected.slice(0, Number(maxCount));
    });
  }

  readAll(options: { fromPosition?: ReadPosition; maxCount?: number | bigint; direction?: Direction } = {}) {
    const { fromPosition = START, maxCount = Number.MAX_SAFE_INTEGER, direction = FORWARDS } = options;
    return this.reading(() => {
      const at = this.indexOf(fromPosition);
      if (at < 0) return [];
      const selected = direction === FORWARDS ? this.log.slice(at) : this.log.slice(0, at).reverse();
      return selected.slice(0, Number(maxCount));
    });
  }

  subscribeToAll({ fromPosition, filter }: { fromPosition?: ReadPosition; filter?: Filter } = {}) {
    if (fromPosition !== END) throw new Error('the fake only subscribes from END');
    const feed = new FakeLiveFeed(filter, () => this.feeds.delete(feed));
    this.feeds.add(feed);
    setImmediate(() => feed.emit('confirmation'));
    return feed;
  }

  async getStreamMetadata(streamName: string): Promise<{ streamName: string; metadata?: StreamMetadata }> {
    this.assertOnline();
    const maxCount = this.maxCounts.get(streamName);
    return maxCount === undefined ? { streamName } : { streamName, metadata: { maxCount } };
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<AppendResult> {
    this.assertOnline();
    if (metadata.maxCount !== undefined) this.maxCounts.set(streamName, metadata.maxCount);
    const data = JSON.stringify({ $maxCount: metadata.maxCount });
    const last = this.write(`$$${streamName}`, [{ id: crypto.randomUUID(), type: '$metadata', data, json: true }]);
    return { success: true, nextExpectedRevision: BigInt(last.revision), position: undefined };
  }

  async dispose(): Promise<void> {}

  private async interfere(streamName: string): Promise<void> {
    const interfere = this.interferences.get(streamName);
    this.interferences.delete(streamName);
    await interfere?.();
  }

  private checkCommit(streamName: string, expected: AppendExpectedRevision, ids: string[]) {
    const current = this.lastRevision(streamName);
    if (expected === STREAM_EXISTS && current < 0) return 'wrong-expected-version';
    if (expected === ANY || expected === STREAM_EXISTS) return this.checkIdsAnywhere(streamName, ids);
    const expectedRevision = expected === NO_STREAM ? -1 : Number(expected);
    if (expectedRevision === current) return 'write';
    if (expectedRevision > current) return 'wrong-expected-version';
    const following = this.streams.get(streamName)!.slice(expectedRevision + 1, expectedRevision + 1 + ids.length);
    const allMatch = ids.every((id, index) => following[index]?.id === id);
    return allMatch ? following[ids.length - 1]! : 'wrong-expected-version';
  }

  private checkIdsAnywhere(streamName: string, ids: string[]) {
    const inThisStream = (record: FakeRecord | undefined) => (record?.streamId === streamName ? record : undefined);
    const stored = ids.map((id) => inThisStream(this.byId.get(id)));
    if (stored[0] === undefined) return 'write';
    return stored.every((record) => record !== undefined) ? stored[stored.length - 1]! : 'wrong-expected-version';
  }

  private writeBatch(streamName: string, batch: EventData[]): FakeRecord {
    const last = this.write(
      streamName,
      batch.map((event) => ({
        id: event.id,
        type: event.type,
        json: true,
        data: JSON.stringify(event.data),
        metadata: event.metadata === undefined ? '' : JSON.stringify(event.metadata),
      })),
    );
    for (const record of this.streams.get(streamName)!.slice(-batch.length)) this.linkToCategory(record);
    return last;
  }

  private linkToCategory(record: FakeRecord): void {
    const category = record.streamId.split('-')[0];
    const link = `${record.revision}@${record.streamId}`;
    this.write(`$ce-${category}`, [{ id: crypto.randomUUID(), type: '$>', data: link, json: false }]);
  }

  private write(streamName: string, entries: NewRecord[]): FakeRecord {
    const stream = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, stream);
    const records = entries.map((entry) => {
      const record: FakeRecord = {
        metadata: '',
        ...entry,
        streamId: streamName,
        revision: stream.length,
        created: new Date(),
        position: this.nextPosition,
      };
      this.nextPosition += BigInt(80 + record.data.length + record.metadata.length);
      stream.push(record);
      this.log.push(record);
      this.byId.set(record.id, record);
      return record;
    });
    for (const feed of this.feeds) records.forEach((record) => feed.push(toResolved(record)));
    return records[records.length - 1]!;
  }

  private lastRevision(streamName: string): number {
    return (this.streams.get(streamName)?.length ?? 0) - 1;
  }

  private visibleEvents(streamName: string): FakeRecord[] {
    const stream = this.streams.get(streamName) ?? [];
    const maxCount = this.maxCounts.get(streamName);
    return maxCount === undefined ? stream : stream.slice(Math.max(0, stream.length - maxCount));
  }

  /** Index in the log where a read starts; -1 when no event starts at that position. */
  private indexOf(position: ReadPosition): number {
    if (position === START) return 0;
    if (position === END) return this.log.length;
    return this.log.findIndex((record) => record.position === position.commit && record.position === position.prepare);
  }

  private reading(select: () => FakeRecord[]): AsyncIterable<AllStreamResolvedEvent> {
    const assertOnline = () => this.assertOnline();
    return (async function* () {
      assertOnline();
      yield* select().map(toResolved);
    })();
  }

  private assertOnline(): void {
    if (this.offline) throw new UnavailableError(undefined, '14 UNAVAILABLE: No connection established');
  }
}
