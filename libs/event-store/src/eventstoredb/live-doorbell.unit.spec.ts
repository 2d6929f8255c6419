import { EventEmitter } from 'node:events';
import type { AllStreamResolvedEvent } from '@eventstore/db-client';
import { waitUntil } from '@exchange/testing';
import { LiveDoorbell, LiveFeed } from './live-doorbell';

class FakeFeed extends EventEmitter {
  unsubscribed = false;
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
  deliver(streamId: string, type: string): void {
    this.emit('data', { event: { streamId, type } } as AllStreamResolvedEvent);
  }
}

describe('the live doorbell', () => {
  let feeds: FakeFeed[];
  let rings: number;
  let doorbell: LiveDoorbell;

  beforeEach(() => {
    feeds = [];
    rings = 0;
    const openFeed = () => {
      const feed = new FakeFeed();
      feeds.push(feed);
      return feed as unknown as LiveFeed;
    };
    doorbell = new LiveDoorbell(openFeed, () => rings++, 5);
  });
  afterEach(() => doorbell.stop());

  it('rings when its subscription is confirmed, covering what was committed before', () => {
    doorbell.start();
    feeds[0]!.emit('confirmation');
    expect(rings).toBe(1);
  });

  it('rings for application events only', () => {
    doorbell.start();
    feeds[0]!.deliver('part-1', 'PartRegistered');
    feeds[0]!.deliver('exchange-checkpoint-projector', 'CheckpointStored');
    feeds[0]!.deliver('exchange-event-id-6f1c1b9e-4a5e-4c1a-9d53-1e2f3a4b5c6d', 'EventIdClaimed');
    feeds[0]!.deliver('$ce-part', '$>');
    feeds[0]!.emit('data', {});
    expect(rings).toBe(1);
  });

  it('opens one subscription however often it is started', () => {
    doorbell.start();
    doorbell.start();
    expect(feeds).toHaveLength(1);
  });

  it('reopens after the subscription fails, and rings once the new one is confirmed', async () => {
    doorbell.start();
    feeds[0]!.emit('error', new Error('connection lost'));
    expect(feeds[0]!.unsubscribed).toBe(true);
    await waitUntil(() => feeds.length === 2, 'the doorbell reopens');
    feeds[1]!.emit('confirmation');
    expect(rings).toBe(1);
    feeds[0]!.deliver('part-1', 'PartRegistered');
    expect(rings).toBe(1);
  });

  it('stop() unsubscribes and nothing reopens afterwards', async () => {
    doorbell.start();
    await doorbell.stop();
    feeds[0]!.emit('close');
    doorbell.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feeds).toHaveLength(1);
    expect(feeds[0]!.unsubscribed).toBe(true);
  });
});
