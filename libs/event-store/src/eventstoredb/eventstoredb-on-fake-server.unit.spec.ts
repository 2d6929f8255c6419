import { ConcurrencyError, DuplicateEventIdError, StoreUnavailableError } from '../event-store.port';
import { waitUntil } from '@exchange/testing';
import { newEvents, newStreamId, RecordingSubscriber } from '../testing/contract-helpers';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { collect } from './esdb-client';
import { toEventData } from './event-mapping';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { FakeEventStoreDbClient } from './fake-eventstoredb-client';

/*
 * The adapter against FakeEventStoreDbClient, an in-memory model of the server behaviour it
 * relies on (see that file). This proves the adapter's logic; only the contract suite against a
 * real server (eventstoredb-event-store.int.spec.ts) proves the server behaves as modelled.
 */
describeEventStoreContract('EventStoreDB adapter on an in-memory model of the server', async () => {
  const server = new FakeEventStoreDbClient();
  let current = EventStoreDbEventStore.fromClient(server.asClient());
  return {
    store: current,
    reopen: async () => {
      await current.close();
      return (current = EventStoreDbEventStore.fromClient(server.asClient()));
    },
    cleanup: () => current.close(),
  };
});

describe('EventStoreDbEventStore on the in-memory model of the server', () => {
  let server: FakeEventStoreDbClient;
  let store: EventStoreDbEventStore;
  let other: EventStoreDbEventStore;

  beforeEach(() => {
    server = new FakeEventStoreDbClient();
    store = EventStoreDbEventStore.fromClient(server.asClient());
    other = EventStoreDbEventStore.fromClient(server.asClient());
  });
  afterEach(() => Promise.all([store.close(), other.close()]));

  it('keeps an event id in one stream even across processes (the server alone keeps ids apart per stream only)', async () => {
    const [event] = newEvents(1);
    await store.appendToStream(newStreamId(), [event!]);
    await expect(other.appendToStream(newStreamId(), [event!])).rejects.toBeInstanceOf(DuplicateEventIdError);
  });

  it('writes nothing for a replay expecting the current revision (the server alone would append it again)', async () => {
    const streamId = newStreamId();
    const batch = newEvents(2);
    const first = await store.appendToStream(streamId, batch, 'no-stream');

    expect(await store.appendToStream(streamId, batch, 1)).toEqual(first);
    expect(await store.readStream(streamId)).toHaveLength(2);

    const scratch = newStreamId();
    await server.appendToStream(scratch, batch.map(toEventData));
    await server.appendToStream(scratch, batch.map(toEventData), { expectedRevision: 1n });
    expect(await collect(server.readStream(scratch))).toHaveLength(4);
  });

  describe('a writer getting in between the read of the stream and the write', () => {
    /** A refused batch leaves its ids claimed for the stream, so appending it again reads the stream first. */
    async function refusedOnce(streamId: string) {
      const batch = newEvents(2);
      await expect(store.appendToStream(streamId, batch, 5)).rejects.toBeInstanceOf(ConcurrencyError);
      server.beforeNextAppendTo(streamId, () => other.appendToStream(streamId, newEvents(1)));
      return batch;
    }

    it("with 'any', the append is decided again and written after it", async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(1));
      const batch = await refusedOnce(streamId);

      expect((await store.appendToStream(streamId, batch, 'any')).nextExpectedRevision).toBe(3);
      expect((await store.readStream(streamId)).slice(2).map((event) => event.id)).toEqual(batch.map((event) => event.id));
    });

    it('with a revision, the append is refused with the revision the writer left', async () => {
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(1));
      const batch = await refusedOnce(streamId);

      const error = await store.appendToStream(streamId, batch, 0).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ expected: 0, actual: 1 });
    });
  });

  it('reads pages of $all full of system, claim and checkpoint events, from any position', async () => {
    const streamId = newStreamId();
    const subscriber = await new RecordingSubscriber(newStreamId('checkpoint')).start(store);
    for (let batch = 0; batch < 30; batch++) await store.appendToStream(streamId, newEvents(10));
    const stored = await store.readStream(streamId);
    await waitUntil(() => subscriber.ofStream(streamId).length === 300, 'the subscription checkpoints every event');
    await subscriber.stop();
    const head = await store.headPosition();

    expect(head).toBe(stored[299]!.position);
    expect(await store.readAll({ after: stored[0]!.position - 1n })).toEqual(stored);
    expect(await store.readAll({ after: stored[150]!.position + 1n, maxCount: 5 })).toEqual(stored.slice(151, 156));
    expect(await store.readAll({ after: head + 1n })).toEqual([]);
  });

  it('keeps only the latest checkpoint: the checkpoint stream has maxCount 1', async () => {
    const checkpointId = newStreamId('checkpoint');
    const streamId = newStreamId();
    await store.appendToStream(streamId, newEvents(3));
    const subscriber = await new RecordingSubscriber(checkpointId).start(store);
    await waitUntil(() => subscriber.ofStream(streamId).length === 3, 'the events are delivered');
    await subscriber.stop();

    const checkpointStream = `exchange-checkpoint-${checkpointId}`;
    expect((await server.getStreamMetadata(checkpointStream)).metadata).toEqual({ maxCount: 1 });
    const [latest] = await collect(server.readStream(checkpointStream));
    const lastHandled = String(subscriber.positions().at(-1));
    expect(latest!.event!.data).toEqual({ commit: lastHandled, prepare: lastHandled });
  });

  it('wakes a subscription for events appended through another store (another process)', async () => {
    const streamId = newStreamId();
    const subscriber = await new RecordingSubscriber(newStreamId('checkpoint')).start(store);
    await new Promise((resolve) => setImmediate(resolve));

    await other.appendToStream(streamId, newEvents(2));

    await waitUntil(() => subscriber.ofStream(streamId).length === 2, 'the live subscription wakes the catch-up loop');
    await subscriber.stop();
  });

  it('an unreachable server: every operation fails with StoreUnavailableError', async () => {
    server.setOffline(true);
    const streamId = newStreamId();
    const attempts = [
      store.appendToStream(streamId, newEvents(1)),
      store.readStream(streamId),
      store.readAll(),
      store.headPosition(),
      store.checkpoint('projector'),
      store.subscribeToAll({ checkpointId: 'projector', handler: () => undefined }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('a checkpoint that cannot be stored stops the subscription through onError', async () => {
    const streamId = newStreamId();
    await store.appendToStream(streamId, newEvents(1));
    const subscriber = await new RecordingSubscriber(newStreamId('checkpoint'), {
      beforeHandling: async () => server.setOffline(true),
    }).start(store);

    await waitUntil(() => subscriber.errors.length > 0, 'the failure is reported');
    expect(subscriber.errors[0]!.error).toBeInstanceOf(StoreUnavailableError);
  });

  it('after close(): every operation fails with StoreUnavailableError', async () => {
    await store.close();
    await expect(store.appendToStream(newStreamId(), newEvents(1))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.checkpoint('projector')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses appends to system streams and to its own streams with a TypeError', async () => {
    for (const streamId of ['$settings', 'exchange-checkpoint-projector', 'exchange-event-id-x']) {
      await expect(store.appendToStream(streamId, newEvents(1))).rejects.toBeInstanceOf(TypeError);
    }
  });
});
