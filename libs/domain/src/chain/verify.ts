import { canonicalSha256 } from '../canonical';
import type { AttestationCreated, FootprintSubmitted, PinnedInput } from '../events';
import { chainTooLarge, type LevelVisibility, type VersionRef } from './chain';

/** A footprint version as the exchange received it. */
export interface ReceivedVersion {
  footprintId: string;
  version: number;
  issuer: string;
  payloadSha256: string;
  receivedAt: string;
}

/** What was recorded of a version: its submission, and the attestations of that version in the order received. */
export interface RecordedVersion {
  submitted: Pick<FootprintSubmitted, 'jws' | 'document' | 'derivation'>;
  attestations: readonly Pick<AttestationCreated, 'attestationId' | 'issuer' | 'jws' | 'payloadSha256' | 'receivedAt' | 'document'>[];
}

/** A participant's signed document, to be checked against the key its issuer had registered when the exchange received it. */
export interface SignatureToCheck {
  jws: string;
  typ: 'cfp+jws' | 'attestation+jws';
  issuer: string;
  receivedAt: string;
}

export type SignatureOutcome =
  { kind: 'verified'; signerName: string; kid: string; payloadSha256: string } | { kind: 'unknown-issuer' } | { kind: 'refused'; reason: string };

/** What the exchange's receipt of a version says, once its signature verified. */
export interface ReceiptFacts {
  documentId: string;
  version: number;
  payloadSha256: string;
  position: string;
  receivedAt: string;
}

export type ReceiptOutcome = { kind: 'verified'; receipt: ReceiptFacts } | { kind: 'refused'; reason: string };

/**
 * What a verify is given: the versions received, what the caller may see of each, what was
 * recorded of them, the signature checks (cryptography stays with the caller) and how many
 * versions it may take in.
 */
export interface ChainToVerify<V extends ReceivedVersion> {
  /** A pinned version as received, or undefined when the exchange never received it. */
  versionOf(pinned: VersionRef): V | undefined;
  visibility(version: V): LevelVisibility;
  recorded(version: V): Promise<RecordedVersion>;
  checkSignature(signature: SignatureToCheck): Promise<SignatureOutcome>;
  checkReceipt(version: V): Promise<ReceiptOutcome>;
  limit: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** A read the walk made below the root: a version's document, or its derivation. */
export interface ChainRead<V> {
  version: V;
  scope: 'document' | 'derivation';
}

export interface ChainVerification<V> {
  ok: boolean;
  checks: Check[];
  reads: ChainRead<V>[];
}

/**
 * Checks every signature on a footprint version (issuer, receipt, attestations), each against the
 * key valid when it was received, and every hash link down the chain the caller may see; each
 * version once, however many paths lead to it. The caller may read the root's document.
 */
export async function verifyChain<V extends ReceivedVersion>(root: V, chain: ChainToVerify<V>): Promise<ChainVerification<V>> {
  const checks: Check[] = [];
  const reads: ChainRead<V>[] = [];
  const seen = new Set<string>();

  const verifyLevel = async (v: V, isRoot: boolean): Promise<void> => {
    const at = `${v.footprintId}@${v.version}`;
    if (seen.has(at)) return;
    seen.add(at);
    if (seen.size > chain.limit) throw chainTooLarge('verifying this footprint', chain.limit);
    const visibility = chain.visibility(v);
    if (!isRoot) {
      if (!visibility.document) return;
      reads.push({ version: v, scope: 'document' });
    }
    const { submitted, attestations } = await chain.recorded(v);
    const issuerSignature = { jws: submitted.jws, typ: 'cfp+jws', issuer: v.issuer, receivedAt: v.receivedAt } as const;
    checks.push(signatureCheck(`${at} issuer signature`, issuerSignature, v.payloadSha256, await chain.checkSignature(issuerSignature)));
    checks.push(receiptCheck(`${at} receipt`, v, await chain.checkReceipt(v)));
    for (const a of attestations) {
      const name = `${at} attestation ${a.attestationId}`;
      const signature = { jws: a.jws, typ: 'attestation+jws', issuer: a.issuer, receivedAt: a.receivedAt } as const;
      checks.push(signatureCheck(name, signature, a.payloadSha256, await chain.checkSignature(signature)));
      checks.push({
        name: `${name} hash link`,
        ok: a.document.payloadSha256 === v.payloadSha256,
        detail: 'the attestation names this version’s payloadSha256',
      });
    }
    if (!visibility.derivation) return;
    reads.push({ version: v, scope: 'derivation' });
    checks.push({
      name: `${at} derivation hash`,
      ok: canonicalSha256(submitted.derivation) === submitted.document.derivationSha256,
      detail: 'derivationSha256 is the SHA-256 of the canonical derivation',
    });
    for (const pinned of submitted.derivation.inputs) {
      const input = chain.versionOf(pinned);
      checks.push(inputLinkCheck(`${at} input ${pinned.footprintId}@${pinned.version} hash link`, pinned, input));
      if (input) await verifyLevel(input, false);
    }
  };

  await verifyLevel(root, true);
  return { ok: checks.every((c) => c.ok), checks, reads };
}

function signatureCheck(name: string, signature: SignatureToCheck, recordedPayloadSha256: string, outcome: SignatureOutcome): Check {
  switch (outcome.kind) {
    case 'unknown-issuer':
      return { name, ok: false, detail: `issuer ${signature.issuer} is unknown` };
    case 'refused':
      return { name, ok: false, detail: outcome.reason };
    case 'verified': {
      const ok = outcome.payloadSha256 === recordedPayloadSha256;
      return {
        name,
        ok,
        detail: ok
          ? `signed by ${outcome.signerName} with key ${outcome.kid}, valid at ${signature.receivedAt}`
          : 'the signed payload does not hash to the recorded payloadSha256',
      };
    }
  }
}

function receiptCheck(name: string, v: ReceivedVersion, outcome: ReceiptOutcome): Check {
  if (outcome.kind === 'refused') return { name, ok: false, detail: outcome.reason };
  const { receipt } = outcome;
  const ok = receipt.documentId === v.footprintId && receipt.version === v.version && receipt.payloadSha256 === v.payloadSha256;
  return { name, ok, detail: `exchange receipt at position ${receipt.position}, ${receipt.receivedAt}` };
}

function inputLinkCheck(name: string, pinned: PinnedInput, input: ReceivedVersion | undefined): Check {
  return {
    name,
    ok: input?.payloadSha256 === pinned.payloadSha256,
    detail: input ? 'the pinned payloadSha256 matches the input as received' : 'the pinned input is missing',
  };
}
