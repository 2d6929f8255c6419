import { ConcurrencyError, ExpectedRevision, NewEvent } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Rejects malformed input with a TypeError before the store is touched. Adapter-agnostic. */
export function validateAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision): void {
  validateStreamId(streamId);
  validateExpectedRevision(expected);
  if (!Array.isArray(events) || events.length === 0) {
    throw new TypeError(`stream ${streamId}: cannot append an empty batch`);
  }
  events.forEach(validateNewEvent);
  rejectRepeatedIds(streamId, events);
}

export function validateStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new TypeError('stream id must be a non-empty string');
  }
}

function validateExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no-stream' || expected === 'stream-exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    const allowed = "'any', 'no-stream', 'stream-exists' or a revision >= 0";
    throw new TypeError(`expected revision must be ${allowed}, got ${String(expected)}`);
  }
}

function validateNewEvent(event: NewEvent): void {
  if (!isUuid(event?.id)) throw new TypeError(`event id must be a UUID, got ${String(event?.id)}`);
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new TypeError(`event ${event.id}: type must be a non-empty string`);
  }
  if (event.metadata !== undefined && (typeof event.metadata !== 'object' || event.metadata === null)) {
    throw new TypeError(`event ${event.id}: metadata must be an object`);
  }
}

function rejectRepeatedIds(streamId: string, events: NewEvent[]): void {
  const ids = new Set(events.map((event) => event.id));
  if (ids.size !== events.length) throw new TypeError(`stream ${streamId}: the batch repeats an event id`);
}

/** The stream ids of a multi-stream read, each checked, without repeats, in the order given. */
export function distinctStreamIds(streamIds: readonly string[]): string[] {
  if (!Array.isArray(streamIds)) throw new TypeError('stream ids must be an array');
  streamIds.forEach(validateStreamId);
  return [...new Set(streamIds)];
}

/** For read options such as maxCount and fromRevision: absent, or an integer >= 0. */
export function validateOptionalCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new TypeError(`${name} must be an integer >= 0, got ${String(value)}`);
  }
}

/** Throws ConcurrencyError unless the stream's last revision (or its absence) meets `expected`. */
export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, actual: number | 'no-stream'): void {
  const met =
    expected === 'any' ||
    (expected === 'no-stream' && actual === 'no-stream') ||
    (expected === 'stream-exists' && actual !== 'no-stream') ||
    expected === actual;
  if (!met) throw new ConcurrencyError(streamId, expected, actual);
}

/** JSON text of `value`; a TypeError for values JSON cannot represent (undefined, functions, BigInt, cycles). */
export function toJsonText(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON-serializable`);
  return text;
}
