import { add, canonicalSha256, footprintDecider, multiply, STAGES, type StageFigures, type Total } from '@exchange/domain';
import { applyKeySet, keyResolverAt, verifyDocumentJws } from '@exchange/signing';
import {
  bomOf,
  buildChain,
  planChain,
  signChainTiers,
  signExtraFootprints,
  storeEventCount,
  tierWidths,
  type ChainPlan,
  type PlannedFootprint,
  type SignedFootprint,
} from '.';

/** The expected total computed independently of aggregateTotal: a plain recursion with add and multiply. */
function totalByHand(plan: ChainPlan, f: PlannedFootprint): Total {
  const stages = {} as StageFigures;
  for (const stage of STAGES) {
    const upstream = f.inputs.map((input) => multiply(input.quantity, totalByHand(plan, plan.footprints[input.footprint]!)[stage]));
    stages[stage] = add(f.own[stage], ...upstream);
  }
  return { ...stages, value: add(...STAGES.map((s) => stages[s])) };
}

describe('tier widths', () => {
  it('fills the tiers with exactly the requested number of footprints, growing by at most fanIn per tier', () => {
    for (const [tiers, fanIn, footprints] of [
      [12, 8, 1000],
      [12, 8, 10_000],
      [12, 8, 100_000],
      [5, 3, 50],
      [3, 2, 7],
      [4, 8, 4],
    ] as const) {
      const widths = tierWidths(tiers, fanIn, footprints);
      expect(widths).toHaveLength(tiers);
      expect(widths.reduce((a, b) => a + b, 0)).toBe(footprints);
      expect(widths[0]).toBe(1);
      widths.slice(1).forEach((w, t) => expect(w).toBeLessThanOrEqual(widths[t]! * fanIn));
    }
  });

  it('defaults to the complete tree and refuses what cannot fit', () => {
    expect(tierWidths(3, 2)).toEqual([1, 2, 4]);
    expect(() => tierWidths(3, 2, 8)).toThrow(RangeError);
    expect(() => tierWidths(12, 8, 11)).toThrow(RangeError);
  });
});

describe('a planned chain', () => {
  it('has exact totals: a two-tier chain checked figure by figure', () => {
    const plan = planChain({ tiers: 2, fanIn: 2, seed: 7 });
    const [root, a, b] = plan.footprints as [PlannedFootprint, PlannedFootprint, PlannedFootprint];
    expect(root.inputs.map((i) => i.footprint)).toEqual([1, 2]);
    expect(a.total).toEqual({ ...a.own, value: add(...STAGES.map((s) => a.own[s])) });
    for (const stage of STAGES) {
      const [qa, qb] = root.inputs.map((i) => i.quantity) as [string, string];
      expect(root.total[stage]).toBe(add(root.own[stage], multiply(qa, a.own[stage]), multiply(qb, b.own[stage])));
    }
  });

  it.each(['tree', 'lattice'] as const)('has the expected total at every level (%s, 5 tiers, fan-in 3)', (shape) => {
    const plan = planChain({ tiers: 5, fanIn: 3, footprints: 60, shape, seed: 42 });
    for (const f of plan.footprints) expect(f.total).toEqual(totalByHand(plan, f));
  });

  it('is the same for the same seed', () => {
    const a = planChain({ tiers: 4, fanIn: 3, footprints: 20, seed: 5, startAt: '2026-01-01T00:00:00.000Z' });
    const b = planChain({ tiers: 4, fanIn: 3, footprints: 20, seed: 5, startAt: '2026-01-01T00:00:00.000Z' });
    expect(b).toEqual(a);
  });

  it('gives a tree one customer per supplier footprint and a lattice fanIn inputs per footprint', () => {
    const tree = planChain({ tiers: 4, fanIn: 4, footprints: 40, shape: 'tree', orgsPerTier: 1, seed: 1 });
    expect(tree.footprints.slice(1).every((f) => f.customers.length === 1)).toBe(true);
    const lattice = planChain({ tiers: 4, fanIn: 4, footprints: 40, shape: 'lattice', orgsPerTier: 3, seed: 1 });
    const lastTier = lattice.widths.length - 1;
    expect(lattice.footprints.filter((f) => f.tier < lastTier).every((f) => f.inputs.length === 4)).toBe(true);
    expect(lattice.footprints.slice(1).every((f) => f.customers.length >= 1)).toBe(true);
    expect(lattice.footprints.some((f) => f.customers.length > 1)).toBe(true);
  });

  it('counts the events the store writer appends', () => {
    const plan = planChain({ tiers: 3, fanIn: 2, seed: 3 });
    // 3 tiers × min(width, 4) orgs + auditor = 1 + 2 + 4 + 1 = 8 organizations; 7 parts, 3 BOMs; 7 footprints, 6 customer grants, 7 auditor grants
    expect(storeEventCount(plan)).toBe(8 + 7 + 3 + 7 + 6 + 7);
  });
});

describe('a signed chain', () => {
  it('signs every footprint with its issuer’s key, hashes it, and the footprint decider accepts each one', async () => {
    const chain = await buildChain({ tiers: 3, fanIn: 3, seed: 11 });
    const { plan } = chain;
    const registeredAt = '2020-01-01T00:00:00.000Z';
    const signed: SignedFootprint[] = [];
    const payloadSha256s = await signChainTiers(chain, async (tier) => void signed.push(...tier));
    expect(signed).toHaveLength(plan.footprints.length);
    for (const s of signed) {
      const f = s.planned;
      const keys = applyKeySet([], { keys: [chain.keys.get(f.issuer)!.publicJwk] }, registeredAt);
      const verified = await verifyDocumentJws(s.jws, { expectedTyp: 'cfp+jws', resolveKey: keyResolverAt(keys, new Date()) });
      expect(verified.payload).toEqual(s.document);
      expect(verified.payloadSha256).toBe(s.payloadSha256);
      expect(payloadSha256s[f.index]).toBe(s.payloadSha256);
      expect(s.document.derivationSha256).toBe(canonicalSha256(s.derivation));
      const events = footprintDecider.decide(
        {
          type: 'submit-footprint',
          callerOrgId: f.issuer,
          jws: s.jws,
          payloadSha256: s.payloadSha256,
          document: s.document,
          derivation: s.derivation,
          part: { partId: f.partId, ownerOrgId: f.issuer, declaredUnit: plan.spec.declaredUnit, bom: bomOf(plan, f) },
          inputs: f.inputs.map((input) => {
            const supplier = plan.footprints[input.footprint]!;
            return {
              footprintId: supplier.id,
              version: 1,
              found: {
                issuer: supplier.issuer,
                partId: supplier.partId,
                payloadSha256: payloadSha256s[supplier.index]!,
                total: supplier.total,
                upstreamFootprintIds: new Set<string>(),
              },
            };
          }),
          at: registeredAt,
        },
        footprintDecider.initialState(),
      );
      expect(events.map((e) => e.type)).toEqual(['footprint.submitted']);
    }
  });

  it('signs extra footprints of the root part whose totals are the exact aggregation of the same inputs', async () => {
    const chain = await buildChain({ tiers: 2, fanIn: 4, seed: 9 });
    const payloadSha256s = await signChainTiers(chain, async () => undefined);
    const extras = await signExtraFootprints(chain, payloadSha256s, { count: 3 });
    expect(new Set(extras.map((e) => e.id)).size).toBe(3);
    for (const extra of extras) {
      expect(extra.document.total).toEqual(extra.total);
      const byHand = STAGES.map((s) =>
        add(extra.derivation.own[s], ...chain.plan.root.inputs.map((i) => multiply(i.quantity, chain.plan.footprints[i.footprint]!.total[s]))),
      );
      expect(STAGES.map((s) => extra.total[s])).toEqual(byHand);
      expect(extra.derivation.inputs.map((i) => i.payloadSha256)).toEqual(chain.plan.root.inputs.map((i) => payloadSha256s[i.footprint]));
    }
  });
});
