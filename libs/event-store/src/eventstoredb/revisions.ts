import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { AppendExpectedRevision, CurrentRevision } from '@eventstore/db-client';
import { ExpectedRevision } from '../event-store.port';

/** The port's expectation in the client's terms. */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The client's expectation (e.g. from a WrongExpectedVersionError) in the port's terms. */
export function fromClientExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  switch (expected) {
    case ANY:
      return 'any';
    case NO_STREAM:
      return 'no-stream';
    case STREAM_EXISTS:
      return 'stream-exists';
    default:
      return Number(expected);
  }
}

/** A stream's current revision as the client reports it, in the port's terms. */
export function fromClientCurrentRevision(current: CurrentRevision): number | 'no-stream' {
  return current === NO_STREAM ? 'no-stream' : Number(current);
}

/** The stream state an append was planned against: the write succeeds only if it is still current. */
export function toPinnedRevision(lastRevision: number | 'no-stream'): AppendExpectedRevision {
  return toClientExpectedRevision(lastRevision);
}
