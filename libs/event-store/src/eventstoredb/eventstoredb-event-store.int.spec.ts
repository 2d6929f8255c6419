import { EventStoreDBClient } from '@eventstore/db-client';
import { waitUntil } from '@exchange/testing';
import { newEvents, newStreamId, RecordingSubscriber } from '../testing/contract-helpers';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const SKIPPED = 'EventStoreDB contract suite — SKIPPED: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run it';

describe('EventStoreDbEventStore.connect (needs no server)', () => {
  it('connects lazily: a store that was never used closes without reaching a server', async () => {
    await EventStoreDbEventStore.connect('esdb://127.0.0.1:1?tls=false').close();
  });

  it('refuses a malformed connection string with a TypeError', () => {
    expect(() => EventStoreDbEventStore.connect('http://localhost:2113')).toThrow(TypeError);
  });
});

if (connectionString) {
  describeEventStoreContract(`EventStoreDB at ${connectionString}`, async () => {
    let current = EventStoreDbEventStore.connect(connectionString);
    return {
      store: current,
      reopen: async () => {
        await current.close();
        return (current = EventStoreDbEventStore.connect(connectionString));
      },
      cleanup: () => current.close(),
    };
  });

  describe(`EventStoreDbEventStore at ${connectionString}`, () => {
    const stores = [EventStoreDbEventStore.connect(connectionString), EventStoreDbEventStore.connect(connectionString)];
    const client = EventStoreDBClient.connectionString(connectionString);
    afterAll(() => Promise.all([...stores.map((store) => store.close()), client.dispose()]));

    it('wakes a subscription for events appended through another connection (the live $all subscription)', async () => {
      const streamId = newStreamId();
      await stores[0]!.appendToStream(streamId, newEvents(1));
      const subscriber = await new RecordingSubscriber(newStreamId('checkpoint')).start(stores[0]!);
      try {
        await waitUntil(() => subscriber.ofStream(streamId).length === 1, 'the subscription caught up', 30_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await stores[1]!.appendToStream(streamId, newEvents(2));
        await waitUntil(() => subscriber.ofStream(streamId).length === 3, 'the other connection wakes the subscription');
      } finally {
        await subscriber.stop();
      }
    });

    it('keeps only the latest checkpoint: maxCount 1 on the checkpoint stream', async () => {
      const checkpointId = newStreamId('checkpoint');
      await stores[0]!.appendToStream(newStreamId(), newEvents(1));
      const subscriber = await new RecordingSubscriber(checkpointId).start(stores[0]!);
      await waitUntil(async () => (await stores[0]!.checkpoint(checkpointId)) > 0n, 'a checkpoint is stored');
      await subscriber.stop();
      const { metadata } = await client.getStreamMetadata(`exchange-checkpoint-${checkpointId}`);
      expect(metadata?.maxCount).toBe(1);
    });
  });
} else {
  console.warn(SKIPPED);
  describe.skip(SKIPPED, () => {
    it('runs the EventStore contract suite against a live EventStoreDB', () => undefined);
  });
}
