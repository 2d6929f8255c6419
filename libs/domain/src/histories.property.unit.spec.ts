import fc from 'fast-check';
import { canonicalSha256 } from './canonical';
import { fold } from './decider';
import { add, normalize } from './decimal';
import { DomainError } from './errors';
import type { Derivation, DomainEvent, FootprintDocument, FootprintSubmitted } from './events';
import { footprintDecider, type FootprintState, type InputFacts, type PartFacts, type SubmitFootprint } from './aggregates/footprint';
import { aggregateTotal, STAGES, type StageFigures } from './stages';

/** A decimal string with up to 6 fractional digits, normalized. */
const figure = (min = 0) =>
  fc
    .tuple(fc.integer({ min, max: 5_000_000 }), fc.integer({ min: 0, max: 6 }))
    .map(([units, scale]) => normalize(scale === 0 ? String(units) : (units / 10 ** scale).toFixed(scale)));
const stageFigures = fc.record({ rawMaterialAcquisition: figure(), mainProduction: figure(), distribution: figure(), endOfLife: figure() });
const quantity = figure(1);

interface Plan {
  leaves: { own: StageFigures[] }[];
  top: { quantities: string[]; own: StageFigures[] };
}

/** A random two-tier chain: leaves each publish a few versions; the top pins the leaves' latest versions at each of its versions. */
const plans: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 4 }).chain((leafCount) =>
  fc.record({
    leaves: fc.array(fc.record({ own: fc.array(stageFigures, { minLength: 1, maxLength: 3 }) }), { minLength: leafCount, maxLength: leafCount }),
    top: fc.record({
      quantities: fc.array(quantity, { minLength: leafCount, maxLength: leafCount }),
      own: fc.array(stageFigures, { minLength: 1, maxLength: 3 }),
    }),
  }),
);

const at = '2026-01-01T00:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Runs a plan through the decider, stream by stream, as the exchange would; returns every stream's events. */
function play(plan: Plan): Map<string, DomainEvent[]> {
  const streams = new Map<string, DomainEvent[]>();
  const decideOn = (id: string, command: SubmitFootprint) => {
    const history = streams.get(id) ?? [];
    streams.set(id, [...history, ...footprintDecider.decide(command, fold(footprintDecider, history))]);
  };
  const leafPart = (i: number): PartFacts => ({ partId: uuid(100 + i), ownerOrgId: uuid(200 + i), declaredUnit: 'kilogram', bom: [] });
  const topPart: PartFacts = {
    partId: uuid(300),
    ownerOrgId: uuid(400),
    declaredUnit: 'piece',
    bom: plan.leaves.map((_, i) => ({ supplierOrgId: uuid(200 + i), supplierPartId: uuid(100 + i), quantity: plan.top.quantities[i]! })),
  };
  const latest = (id: string) =>
    (streams.get(id) ?? []).filter((e): e is Extract<DomainEvent, { type: 'footprint.submitted' }> => e.type === 'footprint.submitted').at(-1)!.data;

  plan.leaves.forEach((leaf, i) => leaf.own.forEach((own, v) => decideOn(uuid(500 + i), submission(leafPart(i), uuid(500 + i), v + 1, own, [], []))));
  plan.top.own.forEach((own, v) => {
    const pinned = plan.leaves.map((_, i) => latest(uuid(500 + i)));
    const inputs = pinned.map((p, i) => ({
      footprintId: p.footprintId,
      version: p.version,
      payloadSha256: p.payloadSha256,
      quantity: plan.top.quantities[i]!,
    }));
    decideOn(uuid(600), submission(topPart, uuid(600), v + 1, own, inputs, pinned));
  });
  return streams;
}

function submission(
  part: PartFacts,
  id: string,
  version: number,
  own: StageFigures,
  inputs: Derivation['inputs'],
  pinned: FootprintSubmitted[],
): SubmitFootprint {
  const derivation: Derivation = { salt: 'c2FsdHNhbHRzYWx0c2FsdA', own, inputs };
  const total = aggregateTotal(
    own,
    inputs.map((input, i) => ({ quantity: input.quantity, total: pinned[i]!.document.total })),
  );
  const document: FootprintDocument = {
    id,
    version,
    issuer: part.ownerOrgId,
    partId: part.partId,
    declaredUnit: part.declaredUnit,
    validFrom: at,
    methodology: 'EU 2023/1542 CFP rules',
    total,
    derivationSha256: canonicalSha256(derivation),
  };
  const facts: InputFacts[] = pinned.map((p) => ({
    footprintId: p.footprintId,
    version: p.version,
    found: { issuer: p.issuer, partId: p.partId, payloadSha256: p.payloadSha256, total: p.document.total, upstreamFootprintIds: new Set() },
  }));
  return {
    type: 'submit-footprint',
    callerOrgId: part.ownerOrgId,
    jws: `jws-of-${id}-${version}`,
    payloadSha256: canonicalSha256(document),
    document,
    derivation,
    part,
    inputs: facts,
    at,
  };
}

describe('random valid histories', () => {
  it('replay to the same state and the same bytes, and every total reproduces from its derivation', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const first = play(plan);
        const second = play(plan);
        expect(canonicalSha256(Object.fromEntries(first))).toBe(canonicalSha256(Object.fromEntries(second)));
        for (const [, events] of first) {
          const state = fold(footprintDecider, events);
          expect(canonicalSha256(fold(footprintDecider, events))).toBe(canonicalSha256(state));
          expect(state.versions.map((v) => v.version)).toEqual(state.versions.map((_, i) => i + 1));
        }
        const byId = new Map(
          [...first.values()]
            .flat()
            .filter((e): e is Extract<DomainEvent, { type: 'footprint.submitted' }> => e.type === 'footprint.submitted')
            .map((e) => [`${e.data.footprintId}@${e.data.version}`, e.data]),
        );
        for (const submitted of byId.values()) {
          const inputs = submitted.derivation.inputs.map((input) => ({
            quantity: input.quantity,
            total: byId.get(`${input.footprintId}@${input.version}`)!.document.total,
          }));
          expect(aggregateTotal(submitted.derivation.own, inputs)).toEqual(submitted.document.total);
        }
      }),
      { numRuns: 150 },
    );
  });
});

type Tamper = (command: SubmitFootprint) => SubmitFootprint;
const bump = (value: string) => add(value, '0.000001');
const tampers: Record<string, Tamper> = {
  'a stage total off by 0.000001': (c) => ({
    ...c,
    document: { ...c.document, total: { ...c.document.total, mainProduction: bump(c.document.total.mainProduction) } },
  }),
  'the value off by 0.000001': (c) => ({ ...c, document: { ...c.document, total: { ...c.document.total, value: bump(c.document.total.value) } } }),
  'a derivation that does not hash to derivationSha256': (c) => ({
    ...c,
    derivation: { ...c.derivation, own: { ...c.derivation.own, distribution: bump(c.derivation.own.distribution) } },
  }),
  'an issuer other than the caller': (c) => ({ ...c, callerOrgId: uuid(999) }),
  'a version that skips one': (c) => ({ ...c, document: { ...c.document, version: c.document.version + 1 } }),
  'a part of another organization': (c) => ({ ...c, part: c.part && { ...c.part, ownerOrgId: uuid(998) } }),
  'another declared unit': (c) => ({ ...c, document: { ...c.document, declaredUnit: 'tonne' } }),
  'an input that cannot be read': (c) => ({ ...c, inputs: c.inputs.map((i) => ({ footprintId: i.footprintId, version: i.version })) }),
  'an input pinned by another hash': (c) => ({
    ...c,
    derivation: { ...c.derivation, inputs: c.derivation.inputs.map((i) => ({ ...i, payloadSha256: 'x'.repeat(43) })) },
  }),
  'an input with another quantity than the BOM': (c) => ({
    ...c,
    derivation: { ...c.derivation, inputs: c.derivation.inputs.map((i) => ({ ...i, quantity: bump(i.quantity) })) },
  }),
  'itself as an input': (c) => ({
    ...c,
    derivation: { ...c.derivation, inputs: [{ footprintId: c.document.id, version: 1, payloadSha256: 'x'.repeat(43), quantity: '1' }] },
  }),
};

describe('random invalid commands', () => {
  it('are refused with a DomainError and never cause an event', () => {
    fc.assert(
      fc.property(plans, fc.constantFrom(...Object.keys(tampers)), (plan, tamperName) => {
        const valid = play(plan);
        const topEvents = valid.get(uuid(600))!;
        const history = topEvents.slice(0, -1);
        const last = topEvents.at(-1)! as Extract<DomainEvent, { type: 'footprint.submitted' }>;
        const needsInputs = tamperName.includes('input') && !tamperName.includes('itself');
        if (needsInputs && last.data.derivation.inputs.length === 0) return;
        const leaves = [...valid.entries()].filter(([id]) => id !== uuid(600));
        const pinned = last.data.derivation.inputs.map(
          (input) =>
            leaves
              .map(([, events]) => events)
              .flat()
              .find((e) => e.type === 'footprint.submitted' && e.data.footprintId === input.footprintId && e.data.version === input.version)!
              .data as FootprintSubmitted,
        );
        const topPart: PartFacts = {
          partId: last.data.partId,
          ownerOrgId: last.data.issuer,
          declaredUnit: 'piece',
          bom: pinned.map((p, i) => ({ supplierOrgId: p.issuer, supplierPartId: p.partId, quantity: last.data.derivation.inputs[i]!.quantity })),
        };
        const command = tampers[tamperName]!(
          submission(topPart, uuid(600), last.data.version, last.data.derivation.own, last.data.derivation.inputs, pinned),
        );
        const state: FootprintState = fold(footprintDecider, history);
        const before = canonicalSha256(state);
        let events: DomainEvent[] | undefined;
        let error: unknown;
        try {
          events = footprintDecider.decide(command, state);
        } catch (e) {
          error = e;
        }
        expect(events).toBeUndefined();
        expect(error).toBeInstanceOf(DomainError);
        expect(canonicalSha256(state)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});

describe('stage figures', () => {
  it('cover the four stages of the EU rules', () =>
    expect(STAGES).toEqual(['rawMaterialAcquisition', 'mainProduction', 'distribution', 'endOfLife']));
});
