import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { RecordedEvent } from '@eventstore/db-client';
import { ExpectedRevision } from '../event-store.port';
import { RFC3339_UTC_MILLIS } from '../testing/contract-helpers';
import { isApplicationEvent, rejectReservedStreamId, toEventData, toStoredEvent } from './event-mapping';
import { commitPositionOf, fromCheckpointData, positionFromCommit, toCheckpointData } from './positions';
import { fromClientCurrentRevision, fromClientExpectedRevision, toClientExpectedRevision, toPinnedRevision } from './revisions';

describe('EventStoreDB expected revisions', () => {
  const pairs: [ExpectedRevision, ReturnType<typeof toClientExpectedRevision>][] = [
    ['any', ANY],
    ['no-stream', NO_STREAM],
    ['stream-exists', STREAM_EXISTS],
    [0, 0n],
    [41, 41n],
  ];

  it.each(pairs)('maps %p to the client and back', (port, client) => {
    expect(toClientExpectedRevision(port)).toBe(client);
    expect(fromClientExpectedRevision(client)).toBe(port);
  });

  it('maps the current revision the server reports', () => {
    expect(fromClientCurrentRevision(NO_STREAM)).toBe('no-stream');
    expect(fromClientCurrentRevision(7n)).toBe(7);
  });

  it('pins a write to the revision that was read', () => {
    expect(toPinnedRevision('no-stream')).toBe(NO_STREAM);
    expect(toPinnedRevision(3)).toBe(3n);
  });
});

describe('EventStoreDB positions', () => {
  it('uses the commit position, which the port compares', () => {
    expect(commitPositionOf({ commit: 1234n, prepare: 1234n }, 'event')).toBe(1234n);
  });

  it('refuses a missing position or the sentinel of servers before 22.6', () => {
    expect(() => commitPositionOf(undefined, 'event e')).toThrow(/event e carries no \$all position/);
    expect(() => commitPositionOf({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n }, 'event')).toThrow(/22.6/);
  });

  it('names an event by its commit position in both halves', () => {
    expect(positionFromCommit(99n)).toEqual({ commit: 99n, prepare: 99n });
  });

  it('stores checkpoints as decimal strings and reads them back', () => {
    const position = { commit: 2n ** 63n + 5n, prepare: 2n ** 63n + 1n };
    const data = toCheckpointData(position);
    expect(data).toEqual({ commit: '9223372036854775813', prepare: '9223372036854775809' });
    expect(fromCheckpointData(JSON.parse(JSON.stringify(data)))).toEqual(position);
  });

  const malformed = [undefined, {}, { commit: '1' }, { commit: '1', prepare: '' }, { commit: 1, prepare: 1 }, { commit: '-1', prepare: '1' }];
  it.each(malformed)('refuses a malformed checkpoint: %p', (data) => {
    expect(() => fromCheckpointData(data)).toThrow(/malformed checkpoint/);
  });
});

describe('EventStoreDB event mapping', () => {
  const id = '6f1c1b9e-4a5e-4c1a-9d53-1e2f3a4b5c6d';

  it('writes JSON events with the id passed through', () => {
    const data = toEventData({ id, type: 'PartRegistered', data: { a: 1 }, metadata: { by: 'x' } });
    expect(data).toMatchObject({ id, type: 'PartRegistered', contentType: 'application/json' });
    expect(data).toMatchObject({ data: { a: 1 }, metadata: { by: 'x' } });
    expect(toEventData({ id, type: 'T', data: undefined })).toMatchObject({ data: null, metadata: {} });
  });

  it('refuses data JSON cannot represent with a TypeError', () => {
    expect(() => toEventData({ id, type: 'T', data: { big: 1n } })).toThrow(TypeError);
  });

  const recorded = (overrides: Partial<RecordedEvent> = {}): RecordedEvent =>
    ({
      streamId: 'part-1',
      id,
      revision: 2n,
      type: 'PartRegistered',
      isJson: true,
      data: { a: 1 },
      metadata: { by: 'x' },
      created: new Date(Date.UTC(2025, 0, 31, 12, 0, 0, 7)),
      position: { commit: 5000n, prepare: 5000n },
      ...overrides,
    }) as RecordedEvent;

  it('reads a recorded event as the port stores it', () => {
    const stored = toStoredEvent(recorded());
    expect(stored).toEqual({
      id,
      type: 'PartRegistered',
      streamId: 'part-1',
      revision: 2,
      position: 5000n,
      recordedAt: '2025-01-31T12:00:00.007Z',
      data: { a: 1 },
      metadata: { by: 'x' },
    });
    expect(stored.recordedAt).toMatch(RFC3339_UTC_MILLIS);
  });

  it('reads missing, binary or non-object metadata as {}', () => {
    for (const metadata of [undefined, new Uint8Array([1]), ['a'], 'text']) {
      expect(toStoredEvent(recorded({ metadata } as Partial<RecordedEvent>)).metadata).toEqual({});
    }
  });

  it('shows application events only', () => {
    expect(isApplicationEvent({ streamId: 'part-1', type: 'PartRegistered' })).toBe(true);
    expect(isApplicationEvent({ streamId: '$ce-part', type: '$>' })).toBe(false);
    expect(isApplicationEvent({ streamId: 'part-1', type: '$>' })).toBe(false);
    expect(isApplicationEvent({ streamId: 'exchange-checkpoint-projector', type: 'CheckpointStored' })).toBe(false);
    expect(isApplicationEvent({ streamId: `exchange-event-id-${id}`, type: 'EventIdClaimed' })).toBe(false);
  });

  it('refuses appends to system streams and to the adapter own streams', () => {
    for (const streamId of ['$settings', 'exchange-checkpoint-x', `exchange-event-id-${id}`]) {
      expect(() => rejectReservedStreamId(streamId)).toThrow(TypeError);
    }
    expect(() => rejectReservedStreamId('exchange-rate-1')).not.toThrow();
  });
});
