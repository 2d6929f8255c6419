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
import type { AppendExpectedRevision, CurrentRevision } from '@eventstore/db-client';
import { ConcurrencyError, DuplicateEventIdError, StoreUnavailableError } from '../event-store.port';
import { isStreamNotFound, isUnavailable, toConcurrencyError, translateError } from './eventstoredb-errors';

type ServiceError = ConstructorParameters<typeof NotLeaderError>[0];

/** What the client gets from gRPC before converting it: a status code and metadata (here naming the leader). */
function serviceError(code: number, metadata: Record<string, string> = {}): ServiceError {
  const error = { code, details: '', message: `${code} failed`, name: 'Error', metadata: { getMap: () => metadata } };
  return error as unknown as ServiceError;
}

describe('EventStoreDB error translation', () => {
  const unavailable: [string, Error][] = [
    ['UnavailableError', new UnavailableError(undefined, 'no connection')],
    ['DeadlineExceededError', new DeadlineExceededError(undefined, 'deadline exceeded')],
    ['TimeoutError (the server timed out)', new TimeoutError(undefined, 'commit timeout')],
    ['CancelledError (the server cancelled the call)', new CancelledError(undefined, 'cancelled')],
    ['NotLeaderError', new NotLeaderError(serviceError(5, { 'leader-endpoint-host': 'n2', 'leader-endpoint-port': '2113' }))],
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
    const wrongVersion = (expected: AppendExpectedRevision, current: CurrentRevision) =>
      new WrongExpectedVersionError(undefined, { streamName: 's', expected, current });
    const cases = [
      [wrongVersion(1n, 3n), 1, 3],
      [wrongVersion('no_stream', 0n), 'no-stream', 0],
      [wrongVersion('stream_exists', 'no_stream'), 'stream-exists', 'no-stream'],
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
