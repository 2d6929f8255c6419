import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { sha256Base64Url } from '@exchange/domain/canonical';

/** What a regulator establishes on its own, trusting nothing but the published keys. */
export interface LocalVerification {
  declarationVerified: boolean;
  receiptVerified: boolean;
  /** base64url SHA-256 of the declaration's signed bytes, when its signature held. */
  payloadSha256?: string;
  problems: string[];
}

export interface SubmittedDeclaration {
  submissionId: string;
  issuerOrgId: string;
  jws: string;
  receipt: string;
}

const ACCEPTED_ALGORITHMS = ['EdDSA', 'ES256'];

/**
 * Checks a declaration JWS against the issuer's published keys and the exchange's receipt
 * against the exchange's keys, and that both speak of the same submission and bytes.
 */
export async function verifyDeclarationLocally(
  submitted: SubmittedDeclaration,
  issuerJwks: JSONWebKeySet,
  exchangeJwks: JSONWebKeySet,
): Promise<LocalVerification> {
  const problems: string[] = [];
  const declaration = await verifySigned(submitted.jws, issuerJwks, 'declaration+jws', problems, 'declaration');
  let declarationVerified = false;
  let payloadSha256: string | undefined;
  if (declaration) {
    payloadSha256 = sha256Base64Url(declaration.bytes);
    declarationVerified =
      expectEqual(problems, 'declaration id', declaration.payload.id, submitted.submissionId) &&
      expectEqual(problems, 'declaration issuer', declaration.payload.issuer, submitted.issuerOrgId);
  }
  const receipt = await verifySigned(submitted.receipt, exchangeJwks, 'receipt+jws', problems, 'receipt');
  const receiptVerified =
    receipt !== undefined &&
    expectEqual(problems, 'receipt documentId', receipt.payload.documentId, submitted.submissionId) &&
    expectEqual(problems, 'receipt payloadSha256', receipt.payload.payloadSha256, payloadSha256);
  return { declarationVerified, receiptVerified, payloadSha256, problems };
}

interface Verified {
  bytes: Uint8Array;
  payload: Record<string, unknown>;
}

async function verifySigned(jws: string, jwks: JSONWebKeySet, typ: string, problems: string[], what: string): Promise<Verified | undefined> {
  try {
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ACCEPTED_ALGORITHMS });
    if (protectedHeader.typ !== typ) {
      problems.push(`${what}: typ is ${String(protectedHeader.typ)}, expected ${typ}`);
      return undefined;
    }
    return { bytes: payload, payload: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown> };
  } catch (error) {
    problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function expectEqual(problems: string[], what: string, actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  problems.push(`${what} is ${String(actual)}, expected ${String(expected)}`);
  return false;
}
