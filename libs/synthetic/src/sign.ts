import { randomBytes, randomUUID } from 'node:crypto';
import { aggregateTotal, canonicalSha256, type Derivation, type FootprintDocument, type Total } from '@exchange/domain';
import { generateParticipantKey, signDocument, type ParticipantKey, type SigningAlgorithm } from '@exchange/signing';
import { planChain, type ChainPlan, type ChainSpec, type PlannedFootprint } from './plan';
import { SeededRandom } from './random';

export const METHODOLOGY = 'EU 2023/1542 CFP rules';

/** A planned chain with one signing key per organization (reused for everything it signs). */
export interface Chain {
  plan: ChainPlan;
  keys: Map<string, ParticipantKey>;
}

export interface SignedFootprint {
  planned: PlannedFootprint;
  document: FootprintDocument;
  derivation: Derivation;
  jws: string;
  /** base64url SHA-256 of the signed payload (the canonical document). */
  payloadSha256: string;
}

/** Plans the chain and generates one key per organization. */
export async function buildChain(spec: ChainSpec & { alg?: SigningAlgorithm }): Promise<Chain> {
  const plan = planChain(spec);
  const keys = new Map<string, ParticipantKey>();
  for (const org of plan.organizations) keys.set(org.id, await generateParticipantKey(spec.alg ?? 'EdDSA'));
  return { plan, keys };
}

export function keyOf(chain: Chain, orgId: string): ParticipantKey {
  const key = chain.keys.get(orgId);
  if (!key) throw new Error(`no key for organization ${orgId}`);
  return key;
}

export function signWithOrgKey(chain: Chain, orgId: string, document: object, typ: string): Promise<string> {
  const key = keyOf(chain, orgId);
  return signDocument(document, { privateJwk: key.privateJwk, kid: key.kid, alg: key.alg, typ });
}

export interface SignOptions {
  /** The part id the exchange knows the planned part by (over HTTP the exchange assigns part ids). */
  partIdOf?: (footprint: PlannedFootprint) => string;
  /** validFrom of every document; default the chain's startAt. */
  validFrom?: string;
}

/** Builds, signs and hashes one planned footprint whose inputs were signed already. */
export async function signFootprint(
  chain: Chain,
  footprint: PlannedFootprint,
  payloadSha256s: readonly (string | undefined)[],
  options: SignOptions = {},
): Promise<SignedFootprint> {
  const derivation: Derivation = {
    salt: footprint.salt,
    own: footprint.own,
    inputs: footprint.inputs.map((input) => {
      const supplier = chain.plan.footprints[input.footprint]!;
      const payloadSha256 = payloadSha256s[input.footprint];
      if (payloadSha256 === undefined) throw new Error(`input ${supplier.id} of ${footprint.id} is not signed yet`);
      return { footprintId: supplier.id, version: 1, payloadSha256, quantity: input.quantity };
    }),
  };
  const document: FootprintDocument = {
    id: footprint.id,
    version: 1,
    issuer: footprint.issuer,
    partId: options.partIdOf ? options.partIdOf(footprint) : footprint.partId,
    declaredUnit: chain.plan.spec.declaredUnit,
    validFrom: options.validFrom ?? chain.plan.spec.startAt,
    methodology: METHODOLOGY,
    total: footprint.total,
    derivationSha256: canonicalSha256(derivation),
  };
  const jws = await signWithOrgKey(chain, footprint.issuer, document, 'cfp+jws');
  return { planned: footprint, document, derivation, jws, payloadSha256: canonicalSha256(document) };
}

/**
 * Signs every footprint, deepest tier first (a footprint pins the payload hashes of its inputs),
 * handing each signed tier to `onTier` before signing the next one up. Returns every payloadSha256
 * by footprint index.
 */
export async function signChainTiers(
  chain: Chain,
  onTier: (signed: SignedFootprint[], tier: number) => Promise<void>,
  options: SignOptions = {},
): Promise<string[]> {
  const { plan } = chain;
  const payloadSha256s: string[] = new Array(plan.footprints.length);
  for (let tier = plan.widths.length - 1; tier >= 0; tier--) {
    const signed: SignedFootprint[] = [];
    for (let index = plan.offsets[tier]!; index < plan.offsets[tier]! + plan.widths[tier]!; index++) {
      const footprint = plan.footprints[index]!;
      const s = await signFootprint(chain, footprint, payloadSha256s, options);
      payloadSha256s[index] = s.payloadSha256;
      signed.push(s);
    }
    await onTier(signed, tier);
  }
  return payloadSha256s;
}

export interface ExtraFootprint {
  id: string;
  document: FootprintDocument;
  derivation: Derivation;
  jws: string;
  payloadSha256: string;
  /** What the exchange must compute: own + Σ quantity × input total. */
  total: Total;
}

/**
 * New footprints (fresh ids, version 1) for the part of a planned footprint, pinning the same
 * inputs with the same quantities and new own figures: valid submissions for load tests once the
 * chain is on the exchange. `payloadSha256s` are the chain's, as `writeChainToStore` or
 * `driveChainOverHttp` returned them.
 */
export async function signExtraFootprints(
  chain: Chain,
  payloadSha256s: readonly string[],
  options: { count: number; footprint?: PlannedFootprint; partId?: string; seed?: number },
): Promise<ExtraFootprint[]> {
  const base = options.footprint ?? chain.plan.root;
  const random = new SeededRandom(options.seed ?? chain.plan.spec.seed + 1);
  const extras: ExtraFootprint[] = [];
  for (let i = 0; i < options.count; i++) {
    const own = random.ownFigures();
    const inputs = base.inputs.map((input) => chain.plan.footprints[input.footprint]!);
    const derivation: Derivation = {
      salt: randomBytes(16).toString('base64url'),
      own,
      inputs: base.inputs.map((input, k) => ({
        footprintId: inputs[k]!.id,
        version: 1,
        payloadSha256: payloadSha256s[input.footprint]!,
        quantity: input.quantity,
      })),
    };
    const total = aggregateTotal(
      own,
      base.inputs.map((input, k) => ({ quantity: input.quantity, total: inputs[k]!.total })),
    );
    const document: FootprintDocument = {
      id: randomUUID(),
      version: 1,
      issuer: base.issuer,
      partId: options.partId ?? base.partId,
      declaredUnit: chain.plan.spec.declaredUnit,
      validFrom: chain.plan.spec.startAt,
      methodology: METHODOLOGY,
      total,
      derivationSha256: canonicalSha256(derivation),
    };
    const jws = await signWithOrgKey(chain, base.issuer, document, 'cfp+jws');
    extras.push({ id: document.id, document, derivation, jws, payloadSha256: canonicalSha256(document), total });
  }
  return extras;
}
