import type { WrongExpectedVersionError } from '@eventstore/db-client';
import { ConcurrencyError, ExpectedRevision, StoreUnavailableError } from '../event-store.port';
import { fromClientCurrentRevision, fromClientExpectedRevision } from './revisions';

/**
 * Client error types (the client's own `type` tags) meaning the server cannot serve now: not
 * reachable, too slow, not the leader, or it cancelled the call. Matched by tag rather than
 * instanceof, so errors from another copy of the client module are recognized too.
 */
const UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED, for errors the client hands through unconverted. */
const UNAVAILABLE_GRPC_CODES = new Set([14, 4]);

function typeOf(error: unknown): unknown {
  return (error as { type?: unknown } | null)?.type;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

export function isUnavailable(error: unknown): boolean {
  const type = typeOf(error);
  if (typeof type === 'string') return UNAVAILABLE_TYPES.has(type);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && UNAVAILABLE_GRPC_CODES.has(code);
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return typeOf(error) === 'wrong-expected-version';
}

export function isStreamNotFound(error: unknown): boolean {
  return typeOf(error) === 'stream-not-found';
}

/** The caller's expectation and stream, when they differ from what the error reports (pinned writes). */
export function toConcurrencyError(
  error: WrongExpectedVersionError,
  expected: ExpectedRevision = fromClientExpectedRevision(error.expectedVersion),
  streamId: string = error.streamName,
): ConcurrencyError {
  return new ConcurrencyError(streamId, expected, fromClientCurrentRevision(error.actualVersion));
}

/** Maps client errors to the port's; anything else (including the port's own errors) is returned unchanged. */
export function translateError(error: unknown, operation: string): unknown {
  if (isUnavailable(error)) {
    return new StoreUnavailableError(`event store unavailable during ${operation}: ${messageOf(error)}`, error);
  }
  if (isWrongExpectedVersion(error)) return toConcurrencyError(error);
  return error;
}
