// TEMPORARY (not committed): the reproduce handler before and after, in process, on a fake store.
import { canonicalJson, canonicalSha256, streams, type Derivation } from '@exchange/domain';
import { planChain } from '@exchange/synthetic';
import * as oldR from '../apps/exchange/src/features/footprints/reproduce.before';
import * as newR from '../apps/exchange/src/features/footprints/reproduce';

const size = Number(process.argv[2] ?? 100000);
const rounds = Number(process.argv[3] ?? 7);
const plan = planChain({ tiers: 12, fanIn: 8, footprints: size, shape: 'tree', orgsPerTier: 4, auditor: true, seed: 12 });
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const events = new Map<string, any[]>();
const payloadSha = new Map<number, string>();
for (let i = plan.footprints.length - 1; i >= 0; i--) {
  const f = plan.footprints[i]!;
  const derivation: Derivation = {
    salt: f.salt,
    own: f.own,
    inputs: f.inputs.map((input) => ({ footprintId: plan.footprints[input.footprint]!.id, version: 1, payloadSha256: payloadSha.get(input.footprint)!, quantity: input.quantity })),
  };
  const document = { id: f.id, version: 1, issuer: f.issuer, partId: f.partId, declaredUnit: 'kilogram', validFrom: '2026-01-01T00:00:00Z', methodology: 'x', total: f.total, derivationSha256: canonicalSha256(derivation) };
  const text = canonicalJson(document);
  const payloadSha256 = canonicalSha256(document);
  payloadSha.set(i, payloadSha256);
  const data = { footprintId: f.id, version: 1, issuer: f.issuer, partId: f.partId, jws: `${b64('{"alg":"EdDSA"}')}.${b64(text)}.c2ln`, payloadSha256, document, derivation, receivedAt: '2026-01-02T00:00:00.000Z' };
  // JSON round trip, as the store gives back fresh objects
  events.set(streams.footprint(f.id), [{ type: 'footprint.submitted', data: JSON.stringify(data), recordedAt: '2026-01-02T00:00:00.000Z' }]);
}
const store: any = {
  readStreams: async (ids: string[]) => new Map(ids.map((id) => [id, (events.get(id) ?? []).map((e) => ({ ...e, data: JSON.parse(e.data) }))])),
};
const grant = { grantId: 'g', purpose: 'verification', scope: 'derivation' };
const access: any = {
  authorize: () => ({ allowed: true, via: 'grant', grant }),
  decide: () => ({ allowed: true, via: 'grant', grant }),
  canRead: () => true,
  recordReads: async () => {},
};
const clock: any = { now: () => '2026-06-01T00:00:00.000Z' };
const config: any = { chainLimits: { reproducedVersions: 200000 } };
const handlers = { before: new oldR.ReproduceFootprintHandler(store, access, clock, config), after: new newR.ReproduceFootprintHandler(store, access, clock, config) };
async function main() {
  const times: Record<string, number[]> = { before: [], after: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of ((process.env.SIDE ? [process.env.SIDE] : r % 2 ? ['after', 'before'] : ['before', 'after']) as ('before' | 'after')[])) {
      (global as any).gc?.();
      const t0 = performance.now();
      const q = side === 'before' ? new oldR.ReproduceFootprint(plan.auditor!.id, plan.root.id) : new newR.ReproduceFootprint(plan.auditor!.id, plan.root.id);
      const answer: any = await handlers[side].execute(q as any);
      times[side].push(performance.now() - t0);
      if (!answer.matchesRecorded || answer.levels.length !== size) throw new Error('wrong');
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const side of ['before', 'after'].filter((s) => times[s]!.length)) console.log(side, times[side].map((t) => Math.round(t)).join(' '), 'median', Math.round(med(times[side])));
}
main();
