import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, event, grantDecider, type Decider, type DomainEvent, type GrantCommand } from '@exchange/domain';
import { ConcurrencyError, type EventStore } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { at, onceContext, reactionContext, requestContext } from './command-context';
import { executeCommand, recordFacts, RecordedAtAnotherTime } from './execute-command';

const AT = '2026-06-01T10:00:00.000Z';
const LATER = '2026-06-01T10:00:05.000Z';

const createGrant = (grantId: string): GrantCommand => ({
  type: 'create-grant',
  grantId,
  ownerOrgId: 'owner',
  resource: { type: 'footprint', id: 'fp-1' },
  granteeOrgId: 'reader',
  granteeExists: true,
  purpose: 'verification',
  scope: 'document',
  origin: { kind: 'owner' },
  at: AT,
});
const revokeGrant = (grantId: string): GrantCommand => ({ type: 'revoke-grant', grantId, callerOrgId: 'owner', at: AT });

/**
 * A stream that counts: each `count` command appends the next number, so its decision depends on
 * the state. Any catalogued event type would do as the carrier; the count is the `reason`.
 */
const counted = (n: number) =>
  event('reaction.parked', { cause: { eventId: 'e', type: 't', position: '1' }, reaction: 'count', code: 'count', reason: String(n), parkedAt: AT });
const counter: Decider<number, { type: 'count' }, DomainEvent> = {
  initialState: () => 0,
  evolve: (n, e) => (e.type === 'reaction.parked' ? Number(e.data.reason) : n),
  decide: (_command, n) => [counted(n + 1)],
};

describe('executeCommand: the one command path', () => {
  let directory: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'commands-'));
    store = SqliteEventStore.open(join(directory, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const request = (key = 'key-1', requestSha256 = 'sha-1', now = AT) => requestContext(`org:caller\nkey-${key}`, requestSha256, now);

  it('loads, folds, decides and appends with the expected revision; a refusal appends nothing', async () => {
    const created = await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, onceContext(AT));
    expect(created).toEqual({ position: 1n, replayed: false });
    await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: revokeGrant('g1') }, onceContext(AT));
    await expect(
      executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: revokeGrant('g1') }, onceContext(AT)),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await store.readStream('grant-g1')).map((e) => [e.type, e.revision])).toEqual([
      ['grant.created', 0],
      ['grant.revoked', 1],
    ]);
  });

  it('names the events after the work, the stream and the step, so the order of a handler’s calls does not matter', async () => {
    const context = request();
    await executeCommand(store, { streamId: 'grant-a', decider: grantDecider, command: createGrant('a') }, context);
    await executeCommand(store, { streamId: 'grant-b', decider: grantDecider, command: createGrant('b') }, context);
    const other = SqliteEventStore.open(join(directory, 'other.sqlite'));
    try {
      await executeCommand(other, { streamId: 'grant-b', decider: grantDecider, command: createGrant('b') }, context);
      await executeCommand(other, { streamId: 'grant-a', decider: grantDecider, command: createGrant('a') }, context);
      for (const streamId of ['grant-a', 'grant-b'])
        expect((await other.readStream(streamId)).map((e) => e.id)).toEqual((await store.readStream(streamId)).map((e) => e.id));
    } finally {
      await other.close();
    }
    expect((await store.readStream('grant-a'))[0]!.metadata).toEqual({
      idempotency: { keyId: context.work.kind === 'request' && context.work.keyId, requestSha256: 'sha-1', at: AT },
    });
  });

  it('gives work without a name random ids', async () => {
    await executeCommand(store, { streamId: 'counter', decider: counter, command: { type: 'count' } }, onceContext(AT));
    await executeCommand(store, { streamId: 'counter', decider: counter, command: { type: 'count' } }, onceContext(AT));
    const ids = (await store.readStream('counter')).map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('answers the recorded position when the same request is executed again, appending nothing', async () => {
    const first = await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request());
    await executeCommand(store, { streamId: 'counter', decider: counter, command: { type: 'count' } }, onceContext(AT));
    const again = await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request());
    expect(again).toEqual({ position: first!.position, replayed: true });
    expect(await store.headPosition()).toBe(2n);
  });

  it('refuses the same key with another request (409), and asks for the recorded time when it differs', async () => {
    await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request());
    await expect(
      executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request('key-1', 'sha-other')),
    ).rejects.toMatchObject({
      code: 'idempotency-key-reused',
    });
    const later = request('key-1', 'sha-1', LATER);
    const error = await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, later).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecordedAtAnotherTime);
    expect(
      await executeCommand(
        store,
        { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') },
        at(later, (error as RecordedAtAnotherTime).at),
      ),
    ).toMatchObject({ replayed: true });
  });

  it('refuses a replay whose command would now decide other events (409 already applied), never a second event', async () => {
    await executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request());
    const changed = { ...createGrant('g1'), purpose: 'regulatory' } as GrantCommand;
    await expect(executeCommand(store, { streamId: 'grant-g1', decider: grantDecider, command: changed }, request())).rejects.toMatchObject({
      code: 'idempotency-key-already-applied',
    });
    expect(await store.headPosition()).toBe(1n);
  });

  it('survives a crash between the append and the answer: the retry in a new process finds what was recorded', async () => {
    const path = join(directory, 'crash.sqlite');
    const before = SqliteEventStore.open(path);
    const recorded = await executeCommand(before, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request());
    await before.close(); // the answer is lost with the process
    const after = SqliteEventStore.open(path);
    try {
      expect(await executeCommand(after, { streamId: 'grant-g1', decider: grantDecider, command: createGrant('g1') }, request())).toEqual({
        position: recorded!.position,
        replayed: true,
      });
      expect(await after.headPosition()).toBe(1n);
    } finally {
      await after.close();
    }
  });

  it('throws a concurrency conflict, or, where the command allows it, decides again on the new state', async () => {
    const racing = racedOnce(store, 'counter');
    await expect(
      executeCommand(racing, { streamId: 'counter', decider: counter, command: { type: 'count' } }, onceContext(AT)),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    const racingAgain = racedOnce(store, 'counter');
    await executeCommand(
      racingAgain,
      { streamId: 'counter', decider: counter, command: { type: 'count' }, retries: 1 },
      reactionContext('cause-1', AT),
    );
    expect((await store.readStream('counter')).map((e) => Number((e.data as { reason: string }).reason))).toEqual([1, 2, 3]);
  });

  it('answers undefined and appends nothing when the command decides nothing', async () => {
    const nothing = { ...counter, decide: () => [] } as Decider<number, { type: 'count' }, DomainEvent>;
    expect(await executeCommand(store, { streamId: 'counter', decider: nothing, command: { type: 'count' } }, request())).toBeUndefined();
    expect(await store.headPosition()).toBe(0n);
  });

  it('records facts after whatever the stream holds, named like a command’s events, so recording the same work again adds nothing', async () => {
    const fact = event('protected-data.read', {
      resource: { type: 'footprint', id: 'fp-1' },
      ownerOrgId: 'o',
      readerOrgId: 'r',
      grantId: 'g',
      purpose: 'verification',
      scope: 'document',
      what: 'document',
      readAt: AT,
    });
    await recordFacts(store, { streamId: 'audit-fp-1', events: [fact], step: 'read' }, onceContext(AT));
    await recordFacts(store, { streamId: 'audit-fp-1', events: [fact], step: 'read' }, request());
    await recordFacts(store, { streamId: 'audit-fp-1', events: [fact], step: 'read' }, request());
    expect(await store.headPosition()).toBe(2n);
  });
});

/** The store, but the first read of `streamId` is followed at once by someone else's append to it. */
function racedOnce(store: EventStore, streamId: string): EventStore {
  let raced = false;
  const readStream: EventStore['readStream'] = async (id, options) => {
    const history = await store.readStream(id, options);
    if (id === streamId && !raced) {
      raced = true;
      await store.appendToStream(streamId, [{ id: crypto.randomUUID(), ...counted(history.length + 1) }], 'any');
    }
    return history;
  };
  return new Proxy(store, { get: (target, name) => (name === 'readStream' ? readStream : Reflect.get(target, name, target)) });
}
