import { assertExpectedRevision } from '../append-rules';
import { AppendResult, DuplicateEventIdError, ExpectedRevision } from '../event-store.port';

/** What the plan needs to know of each event already in the stream. */
export interface StreamEntry {
  id: string;
  revision: number;
  position: bigint;
}

export type AppendPlan =
  /** Every id is already stored, in batch order: answer with the stream's state, write nothing. */
  | { kind: 'replay'; result: AppendResult }
  /** Write the batch, but only if the stream is still at `lastRevision` (no one wrote in between). */
  | { kind: 'write'; lastRevision: number | 'no-stream' };

/**
 * Decides an append from the stream as it was read, with the port's rules (the SQLite adapter
 * applies the same ones): a replay wins over the expectation, a partial or reordered overlap is a
 * DuplicateEventIdError, an unmet expectation a ConcurrencyError.
 */
export function planAppend(streamId: string, stream: StreamEntry[], batchIds: string[], expected: ExpectedRevision): AppendPlan {
  const replay = findReplay(streamId, stream, batchIds);
  if (replay) return { kind: 'replay', result: replay };
  const lastRevision = lastRevisionOf(stream);
  assertExpectedRevision(streamId, expected, lastRevision);
  return { kind: 'write', lastRevision };
}

/** The replay result when the batch is already stored; undefined when none of its ids is. */
export function findReplay(streamId: string, stream: StreamEntry[], batchIds: string[]): AppendResult | undefined {
  const storedById = new Map(stream.map((entry) => [entry.id, entry]));
  const stored = batchIds.map((id) => storedById.get(id));
  if (stored.every((entry) => entry === undefined)) return undefined;
  if (!isInBatchOrder(stored)) {
    throw new DuplicateEventIdError(
      streamId,
      batchIds.filter((_, index) => stored[index] !== undefined),
    );
  }
  const lastOfBatch = stored[stored.length - 1]!;
  return { nextExpectedRevision: lastRevisionOf(stream) as number, position: lastOfBatch.position };
}

export function lastRevisionOf(stream: StreamEntry[]): number | 'no-stream' {
  return stream.length === 0 ? 'no-stream' : stream[stream.length - 1]!.revision;
}

function isInBatchOrder(stored: (StreamEntry | undefined)[]): stored is StreamEntry[] {
  return stored.every((entry, index) => entry !== undefined && (index === 0 || entry.revision > stored[index - 1]!.revision));
}
