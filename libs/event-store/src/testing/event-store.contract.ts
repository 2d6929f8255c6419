import { describeAppendContract } from './append.contract';
import { waitUntil } from '@exchange/testing';
import { ContractContext, ContractFactory, newEvents, newStreamId, RecordingSubscriber } from './contract-helpers';
import { describeReadContract } from './read.contract';
import { describeSubscriptionContract } from './subscription.contract';

export type { ContractFactory, ContractFixture } from './contract-helpers';

/**
 * The behaviour every EventStore adapter must have. The factory is called once; all tests share
 * the store and use fresh random stream and checkpoint ids, so the store need not be empty.
 * With `reopen`, the suite also checks that everything acknowledged survives a reopen.
 */
export function describeEventStoreContract(adapterName: string, factory: ContractFactory): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    const context = new ContractContext();

    beforeAll(() => context.setUp(factory));
    afterAll(() => context.tearDown());

    describeAppendContract(context);
    describeReadContract(context);
    describeSubscriptionContract(context);
    describeDurabilityContract(context);
  });
}

function describeDurabilityContract(context: ContractContext): void {
  describe('durability across a reopen', () => {
    it('keeps every acknowledged event and checkpoint (skipped in effect without reopen)', async () => {
      if (!context.canReopen) return;
      const streams = [newStreamId(), newStreamId()];
      for (const streamId of streams) {
        await context.store.appendToStream(streamId, newEvents(2), 'no-stream');
        await context.store.appendToStream(streamId, newEvents(1), 1);
      }
      const before = await Promise.all(streams.map((streamId) => context.store.readStream(streamId)));
      const head = await context.store.headPosition();
      const checkpointId = newStreamId('checkpoint');
      const subscriber = await new RecordingSubscriber(checkpointId).start(context.store);
      await waitUntil(() => subscriber.positions().includes(head), 'the subscription reaches the head');
      await subscriber.stop();

      const reopened = await context.reopen();

      expect(await Promise.all(streams.map((streamId) => reopened.readStream(streamId)))).toEqual(before);
      expect(await reopened.headPosition()).toBe(head);
      const next = await reopened.appendToStream(streams[0]!, newEvents(1), 2);
      expect(next.position).toBeGreaterThan(head);
      const resumed = await new RecordingSubscriber(checkpointId).start(reopened);
      await waitUntil(() => resumed.received.length > 0, 'the resumed subscription sees the new event');
      await resumed.stop();
      expect(resumed.positions()).toEqual([next.position]);
    });
  });
}
