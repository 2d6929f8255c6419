import {
  AccessDeniedError,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { ServiceError } from '@grpc/grpc-js';
import { ConcurrencyError, DuplicateEventIdError, StoreUnavailableError } from '../event-store.port';
import { isStreamNotFound, isUnavailable, toConcurrencyError, translateError } from './eventstoredb-errors';

/** What the client gets from gRPC before converting it (status 14 UNAVAILABLE, metadata naming the leader). */
function serviceError(code: number, metadata: Record<string, string> = {}): ServiceError {
  return { code, details: '', message: `${code} failed`, name: 'Error', metadata: { getMap: () => metadata } } as unknown as ServiceError;
}

describe('EventStoreDB error translation', () => {
  const unavailable: [string, Error][] = [
    ['UnavailableError', new UnavailableError(undefined, 'no connection')],
    ['DeadlineExceededError', new DeadlineExceededError(undefined, 'deadline exceeded')],
    ['TimeoutError (the server timed out)', new TimeoutError(undefined, 'commit timeout')],
    ['CancelledError (the server cancelled the call)', new CancelledError(undefined, 'cancelled')],
    ['NotLeaderError', new NotLeaderError(serviceError(5, { 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }))],
    ['a converted gRPC UNAVAILABLE', convertToCommandError(serviceError(14))],
    ['an unconverted gRPC UNAVAILABLE', Object.assign(new Error('14 UNAVAILABLE'), { code: 14 })],
    ['an unconverted gRPC DEADLINE_EXCEEDED', Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 })],
  ];

  it.each(unavailable)('%s means the store is unavailable', (_, cause) => {
    expect(isUnavailable(cause)).toBe(true);
    const translated = translateError(cause, 'append to s');
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as StoreUnavailableError).cause).toBe(cause);
    expect((translated as Error).message).toMatch(/^event store unavailable during append to s: /);
  });

  it('a wrong expected version is a ConcurrencyError in the port terms', () => {
    const cases = [
      [new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 3n }), 1, 3],
      [new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current: 0n }), 'no-stream', 0],
      [new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' }), 'stream-exists', 'no-stream'],
    ] as const;
    for (const [error, expected, actual] of cases) {
      const translated = translateError(error, 'append to s');
      expect(translated).toBeInstanceOf(ConcurrencyError);
      expect(translated).toMatchObject({ streamId: 's', expected, actual });
    }
  });

  it("reports the caller's expectation when the write was pinned to another", () => {
    const pinned = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 4n, current: 5n });
    expect(toConcurrencyError(pinned, 'any')).toMatchObject({ streamId: 's', expected: 'any', actual: 5 });
  });

  it('recognizes an unknown stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 's'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
  });

  it('leaves other errors unchanged', () => {
    const others = [
      new AccessDeniedError(undefined, 'denied'),
      new TypeError('bad input'),
      new ConcurrencyError('s', 1, 2),
      new DuplicateEventIdError('s', ['id']),
      new StoreUnavailableError('closed'),
      Object.assign(new Error('not found'), { code: 5 }),
    ];
    for (const error of others) expect(translateError(error, 'read')).toBe(error);
  });
});
