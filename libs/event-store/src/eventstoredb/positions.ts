import type { Position } from '@eventstore/db-client';

/** What servers before 22.6 put in stream reads instead of the event's $all position (2^64 - 1). */
const NO_POSITION_SENTINEL = 2n ** 64n - 1n;

/**
 * The port's position is the event's $all commit position: strictly increasing in commit order,
 * but a byte offset in the transaction log, so not contiguous.
 */
export function commitPositionOf(position: Position | undefined, what: string): bigint {
  if (position === undefined || position.commit === NO_POSITION_SENTINEL) {
    throw new Error(`${what} carries no $all position: EventStoreDB 22.6 or later is required`);
  }
  return position.commit;
}

/**
 * The client position for a port position, which keeps only the commit half. Using it for both
 * halves names the event exactly for committed writes without explicit transactions, as on a
 * single node every gRPC append is: such an event's prepare and commit positions are the same
 * log position.
 */
export function positionFromCommit(commit: bigint): Position {
  return { commit, prepare: commit };
}

/** The checkpoint event's data: both halves of the position, as strings (JSON has no bigint). */
export type CheckpointData = { commit: string; prepare: string };

export function toCheckpointData(position: Position): CheckpointData {
  return { commit: position.commit.toString(), prepare: position.prepare.toString() };
}

export function fromCheckpointData(data: unknown): Position {
  const { commit, prepare } = (data ?? {}) as Partial<CheckpointData>;
  if (!isDigits(commit) || !isDigits(prepare)) throw new Error(`malformed checkpoint: ${JSON.stringify(data)}`);
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
}

function isDigits(value: unknown): value is string {
  return typeof value === 'string' && /^\d+$/.test(value);
}
