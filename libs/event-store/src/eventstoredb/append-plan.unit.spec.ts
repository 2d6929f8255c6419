import { ConcurrencyError, DuplicateEventIdError } from '../event-store.port';
import { findReplay, planAppend, StreamEntry } from './append-plan';

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}

/** A stream whose events have ids e0, e1, ... and positions 1000, 1100, ... */
function streamOf(length: number): StreamEntry[] {
  return Array.from({ length }, (_, revision) => ({ id: `e${revision}`, revision, position: 1000n + 100n * BigInt(revision) }));
}

describe('planning an append from the stream as read', () => {
  it('writes new events pinned to the stream state that was read', () => {
    expect(planAppend('s', [], ['n1'], 'no-stream')).toEqual({ kind: 'write', lastRevision: 'no-stream' });
    expect(planAppend('s', streamOf(3), ['n1', 'n2'], 2)).toEqual({ kind: 'write', lastRevision: 2 });
    expect(planAppend('s', streamOf(3), ['n1'], 'any')).toEqual({ kind: 'write', lastRevision: 2 });
    expect(planAppend('s', streamOf(1), ['n1'], 'stream-exists')).toEqual({ kind: 'write', lastRevision: 0 });
  });

  it.each([
    ['no-stream', 2, 1],
    ['stream-exists', 0, 'no-stream'],
    [0, 3, 2],
    [0, 0, 'no-stream'],
  ] as const)('refuses an unmet expectation %p (stream of %p events) with ConcurrencyError', (expected, length, actual) => {
    const error = thrownBy(() => planAppend('s', streamOf(length), ['n1'], expected));
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ streamId: 's', expected, actual });
  });

  it('answers a replay with the stream state, whatever the expectation', () => {
    const stream = streamOf(5);
    const plan = planAppend('s', stream, ['e1', 'e2'], 'no-stream');
    expect(plan).toEqual({ kind: 'replay', result: { nextExpectedRevision: 4, position: 1200n } });
  });

  it('accepts ids stored in batch order with other events between them', () => {
    expect(findReplay('s', streamOf(5), ['e0', 'e3'])).toEqual({ nextExpectedRevision: 4, position: 1300n });
  });

  it('finds no replay when no id is stored', () => {
    expect(findReplay('s', streamOf(3), ['n1', 'n2'])).toBeUndefined();
    expect(findReplay('s', [], ['n1'])).toBeUndefined();
  });

  it.each([
    ['partly stored', ['e0', 'n1'], ['e0']],
    ['stored in another order', ['e1', 'e0'], ['e1', 'e0']],
    ['stored with a new id between', ['e0', 'n1', 'e2'], ['e0', 'e2']],
  ])('refuses a batch %s with DuplicateEventIdError naming the stored ids', (_, batch, storedIds) => {
    const error = thrownBy(() => planAppend('s', streamOf(3), batch, 'any'));
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ streamId: 's', eventIds: storedIds });
  });
});
