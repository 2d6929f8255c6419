import { StoredEvent } from '../event-store.port';
import { settle, waitUntil } from '@exchange/testing';
import { ContractContext, deferred, expectStrictlyIncreasing, newEvents, newStreamId, RecordingSubscriber } from './contract-helpers';

export function describeSubscriptionContract(context: ContractContext): void {
  describe('catch-up subscription to all', () => {
    const started: RecordingSubscriber[] = [];
    const subscribe = (checkpointId: string, options?: ConstructorParameters<typeof RecordingSubscriber>[1]) => {
      const subscriber = new RecordingSubscriber(checkpointId, options);
      started.push(subscriber);
      return subscriber.start(context.store);
    };
    const positionsUpTo = async (last: bigint) =>
      (await context.store.readAll()).filter((event) => event.position <= last).map((event) => event.position);
    const idsOf = (events: StoredEvent[]) => events.map((event) => event.id);

    afterEach(async () => {
      await Promise.all(started.splice(0).map((subscriber) => subscriber.stop()));
    });

    it('delivers history, then live events, in global order without gaps', async () => {
      const streamId = newStreamId();
      await context.store.appendToStream(streamId, newEvents(3));
      const subscriber = await subscribe(newStreamId('checkpoint'));
      await waitUntil(() => subscriber.ofStream(streamId).length === 3, 'history is delivered');

      await context.store.appendToStream(streamId, newEvents(1));
      await context.store.appendToStream(newStreamId(), newEvents(1));
      await context.store.appendToStream(streamId, newEvents(1));
      await waitUntil(() => subscriber.ofStream(streamId).length === 5, 'live events are delivered');

      expect(subscriber.ofStream(streamId).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
      const delivered = subscriber.positions();
      expect(delivered).toEqual(await positionsUpTo(delivered[delivered.length - 1]!));
    });

    it('reads an unknown checkpoint as 0', async () => {
      expect(await context.store.checkpoint(newStreamId('checkpoint'))).toBe(0n);
    });

    it('resumes a new subscription after the stored checkpoint: nothing twice, nothing missed', async () => {
      const checkpointId = newStreamId('checkpoint');
      const streamId = newStreamId();
      await context.store.appendToStream(streamId, newEvents(3));
      const first = await subscribe(checkpointId);
      await waitUntil(() => first.ofStream(streamId).length === 3, 'the first subscription sees the stream');
      await first.stop();

      await context.store.appendToStream(streamId, newEvents(3));
      const second = await subscribe(checkpointId);
      await waitUntil(() => second.ofStream(streamId).length >= 3, 'the second subscription sees the new events');

      const delivered = [...first.positions(), ...second.positions()];
      expect(delivered).toEqual(await positionsUpTo(delivered[delivered.length - 1]!));
      expect(second.ofStream(streamId).map((event) => event.revision)).toEqual([3, 4, 5]);
    });

    it('stop() waits for the handler in flight, stores its checkpoint, and delivers nothing more', async () => {
      const checkpointId = newStreamId('checkpoint');
      const streamId = newStreamId();
      const [inFlight] = newEvents(1);
      await context.store.appendToStream(streamId, [inFlight!]);
      const gate = deferred();
      let entered = false;
      const subscriber = await subscribe(checkpointId, {
        beforeHandling: async (event) => {
          if (event.id !== inFlight!.id) return;
          entered = true;
          await gate.promise;
        },
      });
      await waitUntil(() => entered, 'the handler is in flight');

      let stopped = false;
      const stopping = subscriber.stop().then(() => (stopped = true));
      await settle();
      expect(stopped).toBe(false);
      gate.resolve();
      await stopping;

      expect(idsOf(subscriber.ofStream(streamId))).toEqual([inFlight!.id]);
      expect(await context.store.checkpoint(checkpointId)).toBe(subscriber.positions()[subscriber.positions().length - 1]);
      const deliveredAtStop = subscriber.received.length;
      const later = newEvents(1);
      await context.store.appendToStream(streamId, later);
      const resumed = await subscribe(checkpointId);
      await waitUntil(() => resumed.ofStream(streamId).length === 1, 'the resumed subscription sees the later event');
      expect(idsOf(resumed.ofStream(streamId))).toEqual([later[0]!.id]);
      expect(subscriber.received).toHaveLength(deliveredAtStop);
    });

    it('stops at an event whose handler throws, reports it, and leaves the checkpoint before it', async () => {
      const checkpointId = newStreamId('checkpoint');
      const streamId = newStreamId();
      const events = newEvents(3);
      await context.store.appendToStream(streamId, events);

      const failing = await subscribe(checkpointId, { failOn: events[1]!.id });
      await waitUntil(() => failing.errors.length > 0, 'the failure is reported');
      await failing.stop();

      expect(failing.errors).toHaveLength(1);
      expect(failing.errors[0]!.event?.id).toBe(events[1]!.id);
      expect(idsOf(failing.ofStream(streamId))).toEqual([events[0]!.id]);
      expect(await context.store.checkpoint(checkpointId)).toBe(failing.ofStream(streamId)[0]!.position);

      const resumed = await subscribe(checkpointId);
      await waitUntil(() => resumed.ofStream(streamId).length === 2, 'the resumed subscription retries the event');
      expect(resumed.received[0]!.id).toBe(events[1]!.id);
      expect(idsOf(resumed.ofStream(streamId))).toEqual([events[1]!.id, events[2]!.id]);
    });

    it('never interleaves or reorders deliveries while appends happen during a handler', async () => {
      const streamId = newStreamId();
      const appendsDuringHandling: Promise<unknown>[] = [];
      let handling = 0;
      let overlapped = false;
      await context.store.appendToStream(streamId, newEvents(1));
      const subscriber = await subscribe(newStreamId('checkpoint'), {
        beforeHandling: async (event) => {
          overlapped ||= ++handling > 1;
          if (event.streamId === streamId && event.revision < 5) {
            appendsDuringHandling.push(context.store.appendToStream(streamId, newEvents(1)));
            await settle(2);
          }
          handling--;
        },
      });
      const concurrentAppends = Array.from({ length: 5 }, () => context.store.appendToStream(streamId, newEvents(1)));
      await Promise.all(concurrentAppends);

      await waitUntil(() => subscriber.ofStream(streamId).length === 11, 'every event is delivered');
      await Promise.all(appendsDuringHandling);

      expect(overlapped).toBe(false);
      expect(subscriber.ofStream(streamId).map((event) => event.revision)).toEqual([...Array(11).keys()]);
      expectStrictlyIncreasing(subscriber.positions());
      expect(new Set(idsOf(subscriber.received)).size).toBe(subscriber.received.length);
    });
  });
}
