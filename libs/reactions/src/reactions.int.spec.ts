import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { event, streams } from '@exchange/domain';
import { EventStore, StoreUnavailableError } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { Projector, ReadModel } from '@exchange/projections';
import { waitUntil } from '@exchange/testing';
import { Reactions } from './reactions';

const AT = '2026-06-01T10:00:00.000Z';

/** The store, with a switch that makes every read and append of the reactions' commands fail as an unavailable store does. */
function withOutage(store: EventStore) {
  const outage = { down: false };
  const failing =
    <T extends unknown[], R>(work: (...args: T) => Promise<R>) =>
    async (...args: T): Promise<R> => {
      if (outage.down) throw new StoreUnavailableError('the disk is gone (test)');
      return work(...args);
    };
  const overrides: Partial<EventStore> = {
    readStream: failing(store.readStream.bind(store)),
    appendToStream: failing(store.appendToStream.bind(store)),
  };
  const wrapped = new Proxy(store, {
    get: (target, name) => (name in overrides ? overrides[name as keyof EventStore] : Reflect.get(target, name, target)),
  });
  return { wrapped, outage };
}

const answered = (n: number, over: { requesterOrgId?: string } = {}) =>
  event('request.answered', {
    requestId: `request-${n}`,
    requesterOrgId: over.requesterOrgId ?? 'requester',
    supplierOrgId: 'supplier',
    documentType: 'footprint',
    documentId: `footprint-${n}`,
    answeredAt: AT,
  });

describe('reactions: nothing is skipped', () => {
  let directory: string;
  let store: SqliteEventStore;
  let reactions: Reactions;
  let readModel: ReadModel;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'reactions-'));
    store = SqliteEventStore.open(join(directory, 'events.sqlite'));
  });
  afterEach(async () => {
    await reactions?.stop();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function start(eventStore: EventStore): Promise<void> {
    readModel = new ReadModel();
    reactions = new Reactions(eventStore, readModel, new Projector(store, readModel));
    return reactions.start();
  }

  const answer = (n: number, over: { requesterOrgId?: string } = {}) =>
    store.appendToStream(
      streams.request(`request-${n}`),
      [{ id: crypto.randomUUID(), type: 'request.answered', data: answered(n, over).data }],
      'any',
    );
  const grantedFootprints = () => [...readModel.grants.all()].map((g) => g.resource.id).sort();

  it('pauses while the store is away for seconds, then grants every answered request once it is back', async () => {
    const { wrapped, outage } = withOutage(store);
    await start(wrapped);
    for (const n of [1, 2, 3]) await reactions.processedThrough((await answer(n)).position);
    outage.down = true;
    let last = 0n;
    for (const n of [4, 5, 6, 7, 8]) last = (await answer(n)).position;
    await waitUntil(() => !reactions.running, 'the reactions pause');
    // The outage lasts longer than any retry of a single reaction would have.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const duringOutage = [...grantedFootprints()];
    outage.down = false;
    await reactions.processedThrough(last);
    await new Projector(store, readModel).catchUp();
    expect(duringOutage).toEqual(['footprint-1', 'footprint-2', 'footprint-3']);
    expect(grantedFootprints()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `footprint-${n}`));
    expect(readModel.parkedReactions.count).toBe(0);
    expect(reactions.running).toBe(true);
  }, 30_000);

  it('parks what the domain refuses, so that an operator sees it, and carries on with what follows', async () => {
    await start(store);
    await answer(1, { requesterOrgId: 'supplier' }); // a grant of one's own resource to oneself is refused
    const { position } = await answer(2);
    await reactions.processedThrough(position);
    await new Projector(store, readModel).catchUp();
    const [parked] = await store.readStream(streams.parkedReactions());
    expect(parked).toMatchObject({
      type: 'reaction.parked',
      data: { reaction: 'grant for the requester', code: 'self-grant', cause: { type: 'request.answered' } },
    });
    expect(readModel.parkedReactions.count).toBe(1);
    expect(grantedFootprints()).toEqual(['footprint-2']);
  });
});
