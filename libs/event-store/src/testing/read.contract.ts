import { ContractContext, expectStrictlyIncreasing, newEvent, newEvents, newStreamId } from './contract-helpers';

export function describeReadContract(context: ContractContext): void {
  describe('reading', () => {
    it('reads all streams after a position, in global order, up to maxCount', async () => {
      const [a, b] = [newStreamId(), newStreamId()];
      const head = await context.store.headPosition();
      await context.store.appendToStream(a, newEvents(2));
      await context.store.appendToStream(b, newEvents(1));

      const all = await context.store.readAll({ after: head });
      const firstTwo = await context.store.readAll({ after: head, maxCount: 2 });
      const afterFirst = await context.store.readAll({ after: all[0]!.position });

      expect(all.map((event) => [event.streamId, event.revision])).toEqual([
        [a, 0],
        [a, 1],
        [b, 0],
      ]);
      expectStrictlyIncreasing(all.map((event) => event.position));
      expect(firstTwo).toEqual(all.slice(0, 2));
      expect(afterFirst).toEqual(all.slice(1));
      expect(await context.store.readAll({ after: all[2]!.position })).toEqual([]);
    });

    it('reads from the beginning when no position is given', async () => {
      await context.store.appendToStream(newStreamId(), newEvents(1));
      const [first] = await context.store.readAll({ maxCount: 1 });
      expect(first!.position).toBeGreaterThanOrEqual(1n);
      expect(await context.store.readAll({ after: 0n, maxCount: 1 })).toEqual([first]);
    });

    it('reads one stream from a revision, up to maxCount', async () => {
      const streamId = newStreamId();
      await context.store.appendToStream(streamId, newEvents(3));
      await context.store.appendToStream(newStreamId(), newEvents(1));
      await context.store.appendToStream(streamId, newEvents(2));

      const revisionsOf = async (options: { fromRevision?: number; maxCount?: number }) =>
        (await context.store.readStream(streamId, options)).map((event) => event.revision);

      expect(await revisionsOf({})).toEqual([0, 1, 2, 3, 4]);
      expect(await revisionsOf({ fromRevision: 2 })).toEqual([2, 3, 4]);
      expect(await revisionsOf({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
      expect(await revisionsOf({ fromRevision: 5 })).toEqual([]);
      expect((await context.store.readStream(streamId)).every((event) => event.streamId === streamId)).toBe(true);
    });

    it('reads an unknown stream as []', async () => {
      expect(await context.store.readStream(newStreamId('unknown'))).toEqual([]);
    });

    it('reads several streams at once: each in revision order, exactly as readStream reads it', async () => {
      const [a, b, c] = [newStreamId(), newStreamId(), newStreamId()];
      await context.store.appendToStream(a, newEvents(2));
      await context.store.appendToStream(b, [newEvent({ nested: { list: [1, 'two', null], decimal: '0.1' } }, { correlation: 'x' })]);
      await context.store.appendToStream(a, newEvents(1));
      await context.store.appendToStream(c, newEvents(3));
      const unknown = newStreamId('unknown');

      const read = await context.store.readStreams([b, unknown, a, b]);

      expect([...read.keys()]).toEqual([b, unknown, a]);
      expect(read.get(a)).toEqual(await context.store.readStream(a));
      expect(read.get(a)!.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(read.get(b)).toEqual(await context.store.readStream(b));
      expect(read.get(unknown)).toEqual([]);
      expect(read.has(c)).toBe(false);
      expect(await context.store.readStreams([])).toEqual(new Map());
    });

    it('reads many streams at once, more than one query or request carries', async () => {
      const ids = Array.from({ length: 1200 }, (_, index) => newStreamId(`many-${index}`));
      const written = new Set(ids.filter((_, index) => index % 150 === 0));
      for (const id of written) await context.store.appendToStream(id, newEvents(2));

      const read = await context.store.readStreams(ids);

      expect(read.size).toBe(ids.length);
      for (const id of ids)
        expect(read.get(id)!.map((event) => [event.streamId, event.revision])).toEqual(
          written.has(id)
            ? [
                [id, 0],
                [id, 1],
              ]
            : [],
        );
    });

    it('refuses a stream id that is not a non-empty string, reading nothing', async () => {
      await expect(context.store.readStreams([newStreamId(), ''])).rejects.toThrow(TypeError);
      await expect(context.store.readStreams([42 as unknown as string])).rejects.toThrow(TypeError);
    });

    it('reports the head position: the last committed position, unchanged by refused appends', async () => {
      const streamId = newStreamId();
      const result = await context.store.appendToStream(streamId, newEvents(2));
      expect(await context.store.headPosition()).toBe(result.position);

      await expect(context.store.appendToStream(streamId, newEvents(1), 'no-stream')).rejects.toThrow();

      expect(await context.store.headPosition()).toBe(result.position);
      const [last] = await context.store.readAll({ after: result.position - 1n });
      expect(last!.position).toBe(result.position);
    });
  });
}
