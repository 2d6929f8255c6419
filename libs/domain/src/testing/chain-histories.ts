import { canonicalJson, canonicalSha256, sha256Base64Url } from '../canonical';
import type { AttestationCreated, Derivation, FootprintDocument, FootprintSubmitted, PinnedInput } from '../events';
import { FootprintHistories, jwsPayloadText, type CommittedEvent } from '../chain/footprint-histories';
import type { ReceiptOutcome, ReceivedVersion, RecordedVersion, SignatureOutcome, SignatureToCheck } from '../chain/verify';
import type { VersionRef } from '../chain/chain';
import { aggregateTotal, type StageFigures, type Total } from '../stages';

/** A footprint version written into a hand-built history. */
export interface Written {
  submitted: FootprintSubmitted;
  /** What the walk is given of it as received (the read side's view). */
  received: ReceivedVersion;
}

export interface WriteFootprint {
  id: string;
  version?: number;
  issuer: string;
  own?: StageFigures;
  inputs?: { of: Written | (VersionRef & { payloadSha256: string; total: Total }); quantity: string }[];
  /** The signed total, when it is not the one the derivation gives (a tampered document). */
  total?: Total;
  /** The signing key named in the JWS header. */
  kid?: string;
  receivedAt?: string;
}

export const OWN: StageFigures = { rawMaterialAcquisition: '1', mainProduction: '2', distribution: '0.5', endOfLife: '0' };

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A compact JWS whose payload is the canonical document; its signature is only a placeholder, checked by `signatureChecker`. */
export function fakeJws(header: Record<string, unknown>, document: unknown): string {
  return `${base64url(canonicalJson(header))}.${base64url(canonicalJson(document))}.${base64url('not a signature')}`;
}

/**
 * Hand-built footprint histories: every `footprint.submitted` (and any other event) a test writes,
 * with real hashes and totals, and what a walk is given of them.
 */
export class HandBuiltChain {
  private readonly events = new Map<string, CommittedEvent[]>();
  private readonly written = new Map<string, Written>();
  private readonly attestationsOf = new Map<string, AttestationCreated[]>();
  private clock = Date.parse('2026-01-01T00:00:00.000Z');

  /** Writes one footprint version pinning `inputs` (each by its id, version and payload hash); its total is own + Σ quantity × input total unless given. */
  footprint(write: WriteFootprint): Written {
    const version = write.version ?? 1;
    const receivedAt = write.receivedAt ?? this.tick();
    const pinned = (write.inputs ?? []).map(({ of, quantity }): PinnedInput & { total: Total } => {
      const ref = 'submitted' in of ? { ...of.received, total: of.submitted.document.total } : of;
      return { footprintId: ref.footprintId, version: ref.version, payloadSha256: ref.payloadSha256, quantity, total: ref.total };
    });
    const derivation: Derivation = {
      salt: `salt-of-${write.id}-${version}`,
      own: write.own ?? OWN,
      inputs: pinned.map(({ footprintId, version: v, payloadSha256, quantity }) => ({ footprintId, version: v, payloadSha256, quantity })),
    };
    const document: FootprintDocument = {
      id: write.id,
      version,
      issuer: write.issuer,
      partId: `part-${write.id}`,
      declaredUnit: 'kilogram',
      validFrom: '2026-01-01T00:00:00Z',
      methodology: 'EU 2023/1542 CFP rules',
      total: write.total ?? aggregateTotal(derivation.own, pinned),
      derivationSha256: canonicalSha256(derivation),
    };
    const jws = fakeJws({ alg: 'EdDSA', kid: write.kid ?? `${write.issuer}-key`, typ: 'cfp+jws' }, document);
    const submitted: FootprintSubmitted = {
      footprintId: write.id,
      version,
      issuer: write.issuer,
      partId: document.partId,
      jws,
      payloadSha256: sha256Base64Url(canonicalJson(document)),
      document,
      derivation,
      receivedAt,
    };
    this.record(write.id, { type: 'footprint.submitted', data: submitted, recordedAt: receivedAt });
    const written: Written = {
      submitted,
      received: { footprintId: write.id, version, issuer: write.issuer, payloadSha256: submitted.payloadSha256, receivedAt },
    };
    this.written.set(`${write.id}@${version}`, written);
    return written;
  }

  /** Writes an attestation of a version, signed by `issuer` with `kid`, received at `receivedAt`. */
  attestation(of: Written, issuer: string, kid: string, receivedAt = this.tick()): AttestationCreated {
    const document = {
      id: `attestation-${this.attestationsOf.size + 1}-of-${of.received.footprintId}`,
      issuer,
      footprintId: of.received.footprintId,
      version: of.received.version,
      payloadSha256: of.received.payloadSha256,
      derivationSha256: of.submitted.document.derivationSha256,
      result: 'verified' as const,
      standard: 'ISO 14067',
      findings: [],
      validUntil: '2030-01-01T00:00:00Z',
    };
    const created: AttestationCreated = {
      attestationId: document.id,
      footprintId: document.footprintId,
      version: document.version,
      footprintIssuer: of.received.issuer,
      issuer,
      result: 'verified',
      jws: fakeJws({ alg: 'EdDSA', kid, typ: 'attestation+jws' }, document),
      payloadSha256: sha256Base64Url(canonicalJson(document)),
      document,
      receivedAt,
    };
    const key = `${of.received.footprintId}@${of.received.version}`;
    this.attestationsOf.set(key, [...(this.attestationsOf.get(key) ?? []), created]);
    this.record(of.received.footprintId, { type: 'attestation.created', data: created, recordedAt: receivedAt });
    return created;
  }

  /** Appends any event to a footprint's stream (an event type outside the catalogue, say). */
  record(footprintId: string, e: CommittedEvent): void {
    this.events.set(footprintId, [...(this.events.get(footprintId) ?? []), e]);
  }

  /** The recorded events of a footprint's stream. */
  streamOf(footprintId: string): CommittedEvent[] {
    return this.events.get(footprintId) ?? [];
  }

  /** Histories given every stream written, as of an instant. */
  histories(asOf?: string): FootprintHistories {
    const histories = new FootprintHistories(asOf);
    for (const [footprintId, events] of this.events) histories.give(footprintId, events);
    return histories;
  }

  versionOf = (ref: VersionRef): ReceivedVersion | undefined => this.written.get(`${ref.footprintId}@${ref.version}`)?.received;

  recorded = async (v: ReceivedVersion): Promise<RecordedVersion> => {
    const key = `${v.footprintId}@${v.version}`;
    return { submitted: this.written.get(key)!.submitted, attestations: this.attestationsOf.get(key) ?? [] };
  };

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
}

/** A registered organization's keys: each valid from `validFrom` until `validUntil` (absent while current). */
/** d pins b and c, which both pin a: a version reached by two paths. */
export function diamond() {
  const built = new HandBuiltChain();
  const a = built.footprint({ id: 'a', issuer: 'mine' });
  const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });
  const c = built.footprint({ id: 'c', issuer: 'cathode', inputs: [{ of: a, quantity: '3' }] });
  const d = built.footprint({
    id: 'd',
    issuer: 'cell',
    inputs: [
      { of: b, quantity: '1' },
      { of: c, quantity: '1' },
    ],
  });
  return { built, a, b, c, d };
}

export interface KeyPeriods {
  name: string;
  keys: { kid: string; validFrom: string; validUntil?: string }[];
}

/**
 * A signature check as the exchange makes it, over fake JWS: the key named in the header must have
 * been the issuer's, valid at the instant the walk names (validFrom ≤ at < validUntil); the
 * signature itself is taken as good.
 */
export function signatureChecker(organizations: Record<string, KeyPeriods>) {
  const asked: SignatureToCheck[] = [];
  const check = async (signature: SignatureToCheck): Promise<SignatureOutcome> => {
    asked.push(signature);
    const org = organizations[signature.issuer];
    if (!org) return { kind: 'unknown-issuer' };
    const header = JSON.parse(Buffer.from(signature.jws.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string; typ: string };
    if (header.typ !== signature.typ) return { kind: 'refused', reason: `the JWS header typ is not "${signature.typ}"` };
    const at = signature.receivedAt;
    const key = org.keys.find((k) => k.kid === header.kid && k.validFrom <= at && (k.validUntil === undefined || at < k.validUntil));
    if (!key) return { kind: 'refused', reason: `no key "${header.kid}" was valid for this issuer` };
    return { kind: 'verified', signerName: org.name, kid: key.kid, payloadSha256: sha256Base64Url(jwsPayloadText(signature.jws)) };
  };
  return Object.assign(check, { asked });
}

/** The exchange's receipt of each version, as it would sign it (position 7 for all). */
export const receiptChecker = async (v: ReceivedVersion): Promise<ReceiptOutcome> => ({
  kind: 'verified',
  receipt: { documentId: v.footprintId, version: v.version, payloadSha256: v.payloadSha256, position: '7', receivedAt: v.receivedAt },
});
