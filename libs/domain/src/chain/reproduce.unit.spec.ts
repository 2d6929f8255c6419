import { DomainError } from '../errors';
import { aggregateTotal } from '../stages';
import { diamond, HandBuiltChain, OWN, type Written } from '../testing/chain-histories';
import type { LevelVisibility } from './chain';
import { FootprintHistories, type ReplayedVersion } from './footprint-histories';
import { footprintStreamsToRead, reproduceChain, type ChainToReproduce } from './reproduce';

const SEES_ALL: LevelVisibility = { document: true, derivation: true };
const DOCUMENT_ONLY: LevelVisibility = { document: true, derivation: false };
const NOTHING: LevelVisibility = { document: false, derivation: false };

/** The caller sees what `seen` says of each footprint (everything of those not named). */
const visibilityBy =
  (seen: Record<string, LevelVisibility>) =>
  (v: ReplayedVersion): LevelVisibility =>
    seen[v.footprintId] ?? SEES_ALL;

function chainOf(histories: FootprintHistories, seen: Record<string, LevelVisibility> = {}, limit = 1000): ChainToReproduce {
  return { histories, visibility: visibilityBy(seen), limit };
}

/** Gives the root's stream, then each stream the read-ahead asks for, as the handler does; reproduces. */
function reproduce(built: HandBuiltChain, root: Written, seen: Record<string, LevelVisibility> = {}, limit = 1000) {
  const histories = new FootprintHistories();
  histories.give(root.received.footprintId, built.streamOf(root.received.footprintId));
  const chain = chainOf(histories, seen, limit);
  const rootVersion = histories.version(root.received.footprintId, root.received.version)!;
  const tiers: string[][] = [];
  for (const footprintIds of footprintStreamsToRead(rootVersion, chain)) {
    tiers.push(footprintIds);
    for (const id of footprintIds) histories.give(id, built.streamOf(id));
  }
  return { reproduction: reproduceChain(rootVersion, chain), tiers };
}

const levelsOf = (r: ReturnType<typeof reproduceChain>) =>
  r.levels.map(({ footprintId, recomputed, matchesRecorded }) => [footprintId, recomputed, matchesRecorded]);

describe('reproduce over given footprint histories', () => {
  it('recomputes a simple chain from its history: inputs first, every link and total holding', () => {
    const built = new HandBuiltChain();
    const a = built.footprint({ id: 'a', issuer: 'mine' });
    const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });
    const c = built.footprint({ id: 'c', issuer: 'cathode', inputs: [{ of: b, quantity: '0.5' }] });

    const { reproduction, tiers } = reproduce(built, c);

    expect(tiers).toEqual([['b'], ['a']]);
    expect(reproduction.total).toEqual(c.submitted.document.total);
    expect(reproduction.total).toEqual(
      aggregateTotal(OWN, [{ quantity: '0.5', total: aggregateTotal(OWN, [{ quantity: '2', total: aggregateTotal(OWN, []) }]) }]),
    );
    expect(reproduction.payloadSha256).toBe(c.submitted.payloadSha256);
    expect(reproduction.matchesRecorded).toBe(true);
    expect(levelsOf(reproduction)).toEqual([
      ['a', true, true],
      ['b', true, true],
      ['c', true, true],
    ]);
    expect(reproduction.derivationsOpened.map((v) => v.footprintId)).toEqual(['c', 'b', 'a']);
    expect(reproduction.eventsReplayed).toBe(3);
  });

  it('names the level whose signed total its derivation does not give, and the levels above it', () => {
    const built = new HandBuiltChain();
    const a = built.footprint({ id: 'a', issuer: 'mine', total: { ...aggregateTotal(OWN, []), mainProduction: '1', value: '2.5' } });
    const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });

    const { reproduction } = reproduce(built, b);

    expect(levelsOf(reproduction)).toEqual([
      ['a', true, false],
      ['b', true, false],
    ]);
    expect(reproduction.matchesRecorded).toBe(false);
  });

  it('takes in a version reached by two paths once (a diamond): read once, reproduced once, shown once', () => {
    const { built, d } = diamond();

    const { reproduction, tiers } = reproduce(built, d);

    expect(tiers).toEqual([['b', 'c'], ['a']]);
    expect(levelsOf(reproduction)).toEqual([
      ['a', true, true],
      ['b', true, true],
      ['c', true, true],
      ['d', true, true],
    ]);
    expect(reproduction.derivationsOpened.map((v) => v.footprintId)).toEqual(['d', 'b', 'a', 'c']);
    expect(reproduction.total).toEqual(d.submitted.document.total);
    expect(reproduction.eventsReplayed).toBe(4);
  });

  it('does not loop on a cycle, which no submission can make (input-cycle) but a history can hold: a footprint met again below itself stands for its signed total, each time', () => {
    const built = new HandBuiltChain();
    const leaf = aggregateTotal(OWN, []);
    const x = built.footprint({
      id: 'x',
      issuer: 'p',
      inputs: [
        { of: { footprintId: 'y', version: 1, payloadSha256: 'y-to-come', total: leaf }, quantity: '2' },
        { of: { footprintId: 'z', version: 1, payloadSha256: 'z-to-come', total: leaf }, quantity: '1' },
      ],
    });
    built.footprint({ id: 'y', issuer: 'p', inputs: [{ of: x, quantity: '1' }] });
    built.footprint({ id: 'z', issuer: 'p', inputs: [{ of: x, quantity: '3' }] });

    const { reproduction, tiers } = reproduce(built, x);

    expect(tiers).toEqual([['y', 'z']]);
    // Below y and below z, x is still being reproduced: its signed total there, and it is shown each time.
    expect(levelsOf(reproduction)).toEqual([
      ['x', true, true],
      ['y', true, true],
      ['x', true, true],
      ['z', true, true],
      ['x', true, false],
    ]);
    expect(reproduction.derivationsOpened.map((v) => v.footprintId)).toEqual(['x', 'y', 'z']);
    const signedX = x.submitted.document.total;
    expect(reproduction.total).toEqual(
      aggregateTotal(OWN, [
        { quantity: '2', total: aggregateTotal(OWN, [{ quantity: '1', total: signedX }]) },
        { quantity: '1', total: aggregateTotal(OWN, [{ quantity: '3', total: signedX }]) },
      ]),
    );
    expect(reproduction.eventsReplayed).toBe(3);
  });

  it('takes an earlier version of the footprint being reproduced for a cycle too (the path is by footprint, not version): its signed total, not recomputed', () => {
    const built = new HandBuiltChain();
    const v1 = built.footprint({ id: 'x', issuer: 'p' });
    const v2 = built.footprint({ id: 'x', version: 2, issuer: 'p', inputs: [{ of: v1, quantity: '1' }] });

    const { reproduction } = reproduce(built, v2);

    expect(reproduction.levels.map(({ version, recomputed }) => [version, recomputed])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(reproduction.derivationsOpened.map((v) => v.version)).toEqual([2]);
    expect(reproduction.matchesRecorded).toBe(true);
  });

  it('uses the signed total of a level whose derivation the caller may not see, and does not read below it', () => {
    const built = new HandBuiltChain();
    const a = built.footprint({ id: 'a', issuer: 'mine' });
    const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });
    const c = built.footprint({ id: 'c', issuer: 'cathode', inputs: [{ of: b, quantity: '0.5' }] });

    const { reproduction, tiers } = reproduce(built, c, { b: DOCUMENT_ONLY });

    expect(tiers).toEqual([['b']]);
    expect(levelsOf(reproduction)).toEqual([
      ['b', false, true],
      ['c', true, true],
    ]);
    expect(reproduction.derivationsOpened.map((v) => v.footprintId)).toEqual(['c']);
    expect(reproduction.total).toEqual(c.submitted.document.total);
    expect(reproduction.eventsReplayed).toBe(2);
  });

  it('leaves out a level the caller may not see at all, and the events of its history, while its signed total still counts', () => {
    const built = new HandBuiltChain();
    const a = built.footprint({ id: 'a', issuer: 'mine' });
    const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });
    built.attestation(b, 'certifier', 'certifier-key');
    built.record('b', { type: 'some.future-event', data: {}, recordedAt: '2026-02-01T00:00:00.000Z' });
    const c = built.footprint({ id: 'c', issuer: 'cathode', inputs: [{ of: b, quantity: '0.5' }] });

    const { reproduction, tiers } = reproduce(built, c, { b: NOTHING });

    expect(tiers).toEqual([['b']]);
    expect(levelsOf(reproduction)).toEqual([['c', true, true]]);
    expect(reproduction.total).toEqual(c.submitted.document.total);
    expect(reproduction.matchesRecorded).toBe(true);
    expect(reproduction.eventsReplayed).toBe(1);

    const shown = reproduce(built, c);
    expect(shown.reproduction.eventsReplayed).toBe(1 + 3 + 1);
  });

  it('refuses, chain-too-large naming the limit, a chain of more distinct versions than the limit; paths to one version count once', () => {
    const { built, d } = diamond();

    expect(reproduce(built, d, {}, 4).reproduction.levels).toHaveLength(4);
    const refusal = captured(() => reproduce(built, d, {}, 3));
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      kind: 'unprocessable',
      code: 'chain-too-large',
      message: 'reproducing this footprint would take in more than 3 distinct versions, the most one answer takes in',
      extra: { limit: 3 },
    });
    // Versions the caller may not open are not reached, so they do not count.
    expect(reproduce(built, d, { b: DOCUMENT_ONLY, c: DOCUMENT_ONLY }, 3).reproduction.levels).toHaveLength(3);
  });
});

describe('footprint histories', () => {
  it('replays a stream as of an instant: later versions and events are left out, the issuer is the first version’s whenever it was', () => {
    const built = new HandBuiltChain();
    const v1 = built.footprint({ id: 'x', issuer: 'p', receivedAt: '2026-03-01T00:00:00.000Z' });
    built.footprint({ id: 'x', version: 2, issuer: 'p', receivedAt: '2026-04-01T00:00:00.000Z' });

    const before = built.histories('2026-02-01T00:00:00.000Z');
    expect(before.issuer('x')).toBe('p');
    expect(before.version('x')).toBeUndefined();
    expect(before.eventsReplayed('x')).toBe(0);

    const between = built.histories('2026-03-15T00:00:00.000Z');
    expect(between.version('x')).toMatchObject({ version: 1, recordedPayloadSha256: v1.submitted.payloadSha256 });
    expect(between.version('x', 2)).toBeUndefined();
    expect(between.eventsReplayed('x')).toBe(1);

    expect(built.histories().version('x')?.version).toBe(2);
  });

  it('fails a walk on a payload it cannot read only when the walk reaches that version', () => {
    const built = new HandBuiltChain();
    const a = built.footprint({ id: 'a', issuer: 'mine' });
    const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });
    const broken = built.histories();
    broken.give('a', [{ type: 'footprint.submitted', data: { ...a.submitted, jws: 'e30.bm90IGpzb24.c2ln' }, recordedAt: a.submitted.receivedAt }]);

    expect(broken.version('a')?.unreadable).toBeInstanceOf(SyntaxError);
    expect(() => reproduceChain(broken.version('b')!, chainOf(broken))).toThrow(SyntaxError);
    expect(reproduceChain(broken.version('b')!, chainOf(broken, { b: DOCUMENT_ONLY })).total).toEqual(b.submitted.document.total);
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}
