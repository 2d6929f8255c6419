import { ConcurrencyError, DuplicateEventIdError, ExpectedRevision, NewEvent } from '../event-store.port';
import { ContractContext, expectStrictlyIncreasing, newEvent, newEvents, newStreamId, RFC3339_UTC_MILLIS } from './contract-helpers';

export function describeAppendContract(context: ContractContext): void {
  describe('append and read back', () => {
    it('stores type, data, metadata, revisions and positions', async () => {
      const streamId = newStreamId();
      const first = newEvent({ amount: '12.50', unit: 'kgCO2e', tags: ['cell', 'módulo'], nested: { n: null } });
      const second = newEvent({ index: 1 }, { correlationId: 'c-1', causation: { by: 'test' } });
      const before = Date.now();

      const result = await context.store.appendToStream(streamId, [first, second], 'no-stream');

      const stored = await context.store.readStream(streamId);
      const essentials = stored.map(({ id, type, data, metadata, revision }) => ({ id, type, data, metadata, revision }));
      expect(essentials).toEqual([
        { id: first.id, type: first.type, data: first.data, metadata: {}, revision: 0 },
        { id: second.id, type: second.type, data: second.data, metadata: second.metadata, revision: 1 },
      ]);
      expect(stored.every((event) => event.streamId === streamId)).toBe(true);
      expect(result).toEqual({ nextExpectedRevision: 1, position: stored[1]!.position });
      expect(typeof stored[0]!.position).toBe('bigint');
      expect(stored[0]!.position).toBeGreaterThanOrEqual(1n);
      expectStrictlyIncreasing(stored.map((event) => event.position));
      for (const event of stored) {
        expect(event.recordedAt).toMatch(RFC3339_UTC_MILLIS);
        expect(Math.abs(Date.parse(event.recordedAt) - before)).toBeLessThan(60_000);
      }
    });

    it('orders positions across streams in commit order', async () => {
      const [a, b] = [newStreamId(), newStreamId()];
      const results = [
        await context.store.appendToStream(a, newEvents(2)),
        await context.store.appendToStream(b, newEvents(1)),
        await context.store.appendToStream(a, newEvents(1)),
      ];
      expectStrictlyIncreasing(results.map((result) => result.position));
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([1, 0, 2]);
      const read = await context.store.readAll({ after: results[0]!.position - 1n, maxCount: 3 });
      expect(read.map((event) => event.streamId)).toEqual([a, b, a]);
    });

    it('rejects malformed input with a TypeError', async () => {
      const streamId = newStreamId();
      await expect(context.store.appendToStream(streamId, [])).rejects.toThrow(TypeError);
      await expect(context.store.appendToStream('', [newEvent()])).rejects.toThrow(TypeError);
      const notAUuid = { ...newEvent(), id: 'not-a-uuid' };
      await expect(context.store.appendToStream(streamId, [notAUuid])).rejects.toThrow(TypeError);
      expect(await context.store.readStream(streamId)).toEqual([]);
    });
  });

  describe('expected revision', () => {
    const met: [string, ExpectedRevision, number][] = [
      ['any on a new stream', 'any', 0],
      ['any on an existing stream', 'any', 2],
      ['no-stream on a new stream', 'no-stream', 0],
      ['stream-exists on an existing stream', 'stream-exists', 1],
      ['the last revision', 1, 2],
    ];
    it.each(met)('appends when met: %s', async (_, expected, existingEvents) => {
      const streamId = newStreamId();
      if (existingEvents > 0) await context.store.appendToStream(streamId, newEvents(existingEvents));

      const result = await context.store.appendToStream(streamId, newEvents(1), expected);

      expect(result.nextExpectedRevision).toBe(existingEvents);
      expect(await context.store.readStream(streamId)).toHaveLength(existingEvents + 1);
    });

    const unmet: [string, ExpectedRevision, number, number | 'no-stream'][] = [
      ['no-stream on an existing stream', 'no-stream', 1, 0],
      ['stream-exists on a new stream', 'stream-exists', 0, 'no-stream'],
      ['a stale revision', 0, 2, 1],
      ['a revision ahead of the stream', 5, 2, 1],
      ['a revision on a new stream', 0, 0, 'no-stream'],
    ];
    it.each(unmet)('throws ConcurrencyError and writes nothing when unmet: %s', async (_, expected, existing, actual) => {
      const streamId = newStreamId();
      if (existing > 0) await context.store.appendToStream(streamId, newEvents(existing));
      const head = await context.store.headPosition();
      const refused = newEvents(2);

      const error = await context.store.appendToStream(streamId, refused, expected).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ streamId, expected, actual });
      expect(await context.store.readStream(streamId)).toHaveLength(existing);
      expect(await context.store.headPosition()).toBe(head);
      // The refused ids were not consumed: the batch can be appended later.
      await expect(context.store.appendToStream(streamId, refused, 'any')).resolves.toBeDefined();
    });
  });

  describe('idempotent append by event id', () => {
    it('returns the same result for a replayed batch and writes nothing', async () => {
      const streamId = newStreamId();
      const batch = newEvents(3);
      const first = await context.store.appendToStream(streamId, batch, 'no-stream');
      const head = await context.store.headPosition();

      const replay = await context.store.appendToStream(streamId, batch, 'no-stream');

      expect(replay).toEqual(first);
      expect(await context.store.readStream(streamId)).toHaveLength(3);
      expect(await context.store.headPosition()).toBe(head);
    });

    it('answers a replay with the stream state, without checking the expectation', async () => {
      const streamId = newStreamId();
      const batch = newEvents(2);
      const first = await context.store.appendToStream(streamId, batch);
      await context.store.appendToStream(streamId, newEvents(1), 1);

      const replay = await context.store.appendToStream(streamId, batch, 0);

      expect(replay).toEqual({ nextExpectedRevision: 2, position: first.position });
      expect(await context.store.readStream(streamId)).toHaveLength(3);
    });

    it('accepts a replay of the leading part of a stored batch', async () => {
      const streamId = newStreamId();
      const batch = newEvents(3);
      await context.store.appendToStream(streamId, batch);
      const stored = await context.store.readStream(streamId);

      const replay = await context.store.appendToStream(streamId, batch.slice(0, 2));

      expect(replay).toEqual({ nextExpectedRevision: 2, position: stored[1]!.position });
    });

    const refusals: [string, (stored: NewEvent[], otherStream: string) => Promise<NewEvent[]>][] = [
      ['a batch partly stored', async (stored) => [stored[0]!, newEvent()]],
      ['a batch stored in another order', async (stored) => [stored[1]!, stored[0]!]],
      [
        'an id stored in another stream',
        async (_, otherStream) => {
          const foreign = newEvent();
          await context.store.appendToStream(otherStream, [foreign]);
          return [foreign, newEvent()];
        },
      ],
    ];
    it.each(refusals)('throws DuplicateEventIdError and writes nothing for %s', async (_, makeBatch) => {
      const streamId = newStreamId();
      const stored = newEvents(2);
      await context.store.appendToStream(streamId, stored);
      const batch = await makeBatch(stored, newStreamId());
      const head = await context.store.headPosition();

      await expect(context.store.appendToStream(streamId, batch)).rejects.toBeInstanceOf(DuplicateEventIdError);

      const idsNow = (await context.store.readStream(streamId)).map((event) => event.id);
      expect(idsNow).toEqual(stored.map((event) => event.id));
      expect(await context.store.headPosition()).toBe(head);
    });
  });
}
