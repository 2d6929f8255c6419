import { aggregateTotal, sha256Base64Url, type BomLine, type Role, type StageFigures, type Total } from '@exchange/domain';
import { randomSeed, SeededRandom } from './random';

/**
 * `tree`: every footprint is pinned by exactly one customer (each supplier serves one customer);
 * `lattice`: every footprint of a tier but the last pins `fanIn` footprints of the next tier and
 * suppliers are shared, so a footprint is pinned by up to `fanIn` customers.
 */
export type ChainShape = 'tree' | 'lattice';

export interface ChainSpec {
  /** Tiers of the chain, the root product (tier 0) included. */
  tiers: number;
  /** Inputs of a footprint that has inputs (the last tier has none). */
  fanIn: number;
  /** Footprints in the whole chain; default: the complete tree, Σ fanIn^t. */
  footprints?: number;
  shape?: ChainShape;
  /** Organizations per tier (each owns a share of the tier's parts); default 4. */
  orgsPerTier?: number;
  /** Seed of every figure, id, salt and quantity; default random (fresh ids each run). */
  seed?: number;
  /** Adds a certifier that every issuer grants scope `derivation` (purpose verification): it can reproduce the whole chain. Default true. */
  auditor?: boolean;
  /** Time of the first synthetic fact (RFC 3339); default one day ago. Later facts follow 1 ms apart. */
  startAt?: string;
  declaredUnit?: string;
}

export type ResolvedChainSpec = Required<ChainSpec>;

export interface PlannedOrganization {
  id: string;
  name: string;
  roles: Role[];
  /** Tier whose parts it owns, or -1 for the auditor. */
  tier: number;
  clientSecret: string;
  clientSecretSha256: string;
}

export interface PlannedInput {
  /** Index of the input footprint in `plan.footprints`. */
  footprint: number;
  quantity: string;
}

/** One part and its one footprint (version 1). */
export interface PlannedFootprint {
  index: number;
  tier: number;
  /** Position within its tier. */
  position: number;
  id: string;
  issuer: string;
  partId: string;
  partNumber: string;
  own: StageFigures;
  inputs: PlannedInput[];
  /** Organizations whose footprints pin this one (they must be able to read it). */
  customers: string[];
  /** The exact total: own + Σ quantity × input total, per stage (aggregateTotal). */
  total: Total;
  /** The derivation's salt (base64url of 16 bytes). */
  salt: string;
}

export interface ChainPlan {
  spec: ResolvedChainSpec;
  /** Footprints per tier. */
  widths: number[];
  /** Index in `footprints` of each tier's first footprint. */
  offsets: number[];
  organizations: PlannedOrganization[];
  auditor?: PlannedOrganization;
  /** Tier by tier, root first: `footprints[0]` is the root. */
  footprints: PlannedFootprint[];
  root: PlannedFootprint;
}

const MAX_FOOTPRINTS = 5_000_000;

/** Footprints per tier: min(fanIn^t, W) with W chosen so that the tiers hold exactly `footprints`. */
export function tierWidths(tiers: number, fanIn: number, footprints?: number): number[] {
  if (!Number.isInteger(tiers) || tiers < 1) throw new RangeError('tiers must be an integer >= 1');
  if (!Number.isInteger(fanIn) || fanIn < 1) throw new RangeError('fanIn must be an integer >= 1');
  const full = Array.from({ length: tiers }, (_, t) => Math.min(fanIn ** t, MAX_FOOTPRINTS + 1));
  const fullSize = full.reduce((a, b) => a + b, 0);
  if (footprints === undefined) {
    if (fullSize > MAX_FOOTPRINTS) throw new RangeError(`a complete tree of ${tiers} tiers and fan-in ${fanIn} is too large; give footprints`);
    return full;
  }
  if (!Number.isInteger(footprints) || footprints < tiers) throw new RangeError(`footprints must be an integer >= tiers (${tiers})`);
  if (footprints > Math.min(fullSize, MAX_FOOTPRINTS))
    throw new RangeError(`at most ${Math.min(fullSize, MAX_FOOTPRINTS)} footprints fit ${tiers} tiers with fan-in ${fanIn}`);
  const sizeWithCap = (cap: number) => full.reduce((sum, w) => sum + Math.min(w, cap), 0);
  let low = 1;
  let high = footprints;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sizeWithCap(mid) <= footprints) low = mid;
    else high = mid - 1;
  }
  const widths = full.map((w) => Math.min(w, low));
  let remainder = footprints - sizeWithCap(low);
  for (let t = 0; t < tiers && remainder > 0; t++) {
    if (full[t]! > low) {
      widths[t]! += 1;
      remainder--;
    }
  }
  return widths;
}

/** Input positions (in the next tier) of the footprint at `position` of a tier. */
function inputPositions(shape: ChainShape, fanIn: number, position: number, nextWidth: number): number[] {
  if (shape === 'tree') {
    const first = position * fanIn;
    const positions = [];
    for (let p = first; p < Math.min(first + fanIn, nextWidth); p++) positions.push(p);
    return positions;
  }
  return Array.from({ length: Math.min(fanIn, nextWidth) }, (_, k) => (position * fanIn + k) % nextWidth);
}

/**
 * Plans a synthetic supply chain: organizations, one part and one footprint per node, BOMs with
 * quantities, own figures and the exact expected total of every footprint. Pure and deterministic
 * for a given seed; keys and signatures come later (`buildChain`).
 */
export function planChain(input: ChainSpec): ChainPlan {
  const spec: ResolvedChainSpec = {
    shape: 'tree',
    orgsPerTier: 4,
    seed: randomSeed(),
    auditor: true,
    startAt: new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000).toISOString(),
    declaredUnit: 'kilogram',
    footprints: 0,
    ...input,
  };
  if (!Number.isInteger(spec.orgsPerTier) || spec.orgsPerTier < 1) throw new RangeError('orgsPerTier must be an integer >= 1');
  const widths = tierWidths(spec.tiers, spec.fanIn, input.footprints);
  spec.footprints = widths.reduce((a, b) => a + b, 0);
  const random = new SeededRandom(spec.seed);
  const secret = () => {
    const clientSecret = Buffer.from(Array.from({ length: 32 }, () => random.int(0, 255))).toString('base64url');
    return { clientSecret, clientSecretSha256: sha256Base64Url(clientSecret) };
  };

  const organizations: PlannedOrganization[] = [];
  const orgsByTier: PlannedOrganization[][] = widths.map((width, tier) =>
    Array.from({ length: Math.min(width, spec.orgsPerTier) }, (_, k) => {
      const org: PlannedOrganization = {
        id: random.uuid(),
        name: tier === 0 ? `Synthetic OEM ${k + 1}` : `Synthetic tier-${tier} supplier ${k + 1}`,
        roles: tier === 0 ? ['oem'] : ['supplier'],
        tier,
        ...secret(),
      };
      organizations.push(org);
      return org;
    }),
  );
  const auditor: PlannedOrganization | undefined = spec.auditor
    ? { id: random.uuid(), name: 'Synthetic certification body', roles: ['certifier'], tier: -1, ...secret() }
    : undefined;
  if (auditor) organizations.push(auditor);

  const offsets: number[] = [];
  widths.reduce((offset, width, tier) => ((offsets[tier] = offset), offset + width), 0);
  const footprints: PlannedFootprint[] = [];
  widths.forEach((width, tier) => {
    const orgs = orgsByTier[tier]!;
    for (let position = 0; position < width; position++) {
      const index = footprints.length;
      const inputs =
        tier + 1 < widths.length
          ? inputPositions(spec.shape, spec.fanIn, position, widths[tier + 1]!).map((p) => ({
              footprint: offsets[tier + 1]! + p,
              quantity: random.quantity(),
            }))
          : [];
      const salt = Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255))).toString('base64url');
      footprints.push({
        index,
        tier,
        position,
        id: random.uuid(),
        issuer: orgs[position % orgs.length]!.id,
        partId: random.uuid(),
        partNumber: `SYN-T${tier}-${position}`,
        own: random.ownFigures(),
        inputs,
        customers: [],
        total: undefined as unknown as Total,
        salt,
      });
    }
  });
  for (const footprint of footprints) {
    for (const input of footprint.inputs) {
      const supplier = footprints[input.footprint]!;
      if (!supplier.customers.includes(footprint.issuer)) supplier.customers.push(footprint.issuer);
    }
  }
  for (let index = footprints.length - 1; index >= 0; index--) {
    const footprint = footprints[index]!;
    footprint.total = aggregateTotal(
      footprint.own,
      footprint.inputs.map((input) => ({ quantity: input.quantity, total: footprints[input.footprint]!.total })),
    );
  }
  return { spec, widths, offsets, organizations, ...(auditor && { auditor }), footprints, root: footprints[0]! };
}

/** The BOM of a footprint's part: its inputs' parts, with the quantities. */
export function bomOf(plan: ChainPlan, footprint: PlannedFootprint, partIdOf: (f: PlannedFootprint) => string = (f) => f.partId): BomLine[] {
  return footprint.inputs.map((input) => {
    const supplier = plan.footprints[input.footprint]!;
    return { supplierOrgId: supplier.issuer, supplierPartId: partIdOf(supplier), quantity: input.quantity };
  });
}

/** The footprints of one tier. */
export function tierOf(plan: ChainPlan, tier: number): PlannedFootprint[] {
  return plan.footprints.slice(plan.offsets[tier], plan.offsets[tier]! + plan.widths[tier]!);
}

/** How many events `writeChainToStore` appends for this plan. */
export function storeEventCount(plan: ChainPlan): number {
  let events = plan.organizations.length;
  for (const f of plan.footprints) {
    events += 1 + (f.inputs.length > 0 ? 1 : 0); // part.registered (+ part.bom-set)
    events += 1 + f.customers.length + (plan.auditor ? 1 : 0); // footprint.submitted, grants
  }
  return events;
}
