import type { ExchangeKeyRing } from '@exchange/signing';
import { SignatureError } from '@exchange/signing';
import { flattenedVerify, importJWK, type KeyLike } from 'jose';
import { decodeNotification, type InboxNotification } from './notification';
import { decodeOrThrow } from './oneof-cases';
import { exchangeType } from './proto-root';

export const INBOX_TYP = 'inbox+jws';
const ALG = 'EdDSA';
/** Header parameters that would let the signer choose the verification key. */
const EMBEDDED_KEY_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
/** RFC 7515 Appendix F: the payload segment is left empty. */
const DETACHED_COMPACT_JWS = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)$/;

/** A verification key as published in a JWKS (the exchange's `/.well-known/jwks.json`). */
export interface VerificationJwk {
  kid?: string;
  kty?: string;
  crv?: string;
  x?: string;
  alg?: string;
}

/**
 * Signs encoded Notification bytes with the exchange's current key: a SignedEnvelope whose
 * signature is a compact JWS `{ alg: EdDSA, kid, typ: inbox+jws }` with a detached payload.
 */
export async function signEnvelope(keyRing: ExchangeKeyRing, notificationBytes: Uint8Array): Promise<Uint8Array> {
  decodeNotification(notificationBytes); // the exchange signs notifications only, never arbitrary bytes
  const signature = await keyRing.signDetached(notificationBytes, INBOX_TYP);
  const type = exchangeType('SignedEnvelope');
  return type.encode(type.fromObject({ payload: notificationBytes, signature })).finish();
}

/** Checks the signature against `jwks` (EdDSA only, typ inbox+jws, known kid) and returns the notification; throws SignatureError. */
export async function verifySignedEnvelope(bytes: Uint8Array, jwks: { keys: readonly VerificationJwk[] }): Promise<InboxNotification> {
  const type = exchangeType('SignedEnvelope');
  const envelope = type.toObject(decodeOrThrow(type, bytes), { bytes: Uint8Array });
  const payload = envelope['payload'] instanceof Uint8Array ? envelope['payload'] : new Uint8Array();
  const [headerSegment, signatureSegment] = splitDetachedJws(envelope['signature']);
  const kid = checkHeader(parseHeader(headerSegment));
  const key = await importVerificationKey(
    jwks.keys.find((candidate) => candidate.kid === kid),
    kid,
  );
  try {
    await flattenedVerify({ protected: headerSegment, payload: Buffer.from(payload).toString('base64url'), signature: signatureSegment }, key, {
      algorithms: [ALG],
    });
  } catch (error) {
    const failed = (error as { code?: unknown }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
    throw new SignatureError(failed ? 'bad-signature' : 'malformed-jws', failed ? 'the envelope signature does not verify' : String(error));
  }
  return decodeNotification(payload);
}

function splitDetachedJws(signature: unknown): [string, string] {
  const match = typeof signature === 'string' ? DETACHED_COMPACT_JWS.exec(signature) : null;
  if (!match) throw new SignatureError('malformed-jws', 'the envelope has no detached compact JWS signature');
  return [match[1]!, match[2]!];
}

function parseHeader(segment: string): Record<string, unknown> {
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof header === 'object' && header !== null && !Array.isArray(header)) return header as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new SignatureError('malformed-jws', 'the protected header is not a JSON object');
}

/** Returns the kid of an acceptable header. */
function checkHeader(header: Record<string, unknown>): string {
  if (header['alg'] !== ALG) throw new SignatureError('unsupported-algorithm', `alg must be ${ALG}`);
  if (header['typ'] !== INBOX_TYP) throw new SignatureError('wrong-typ', `typ must be "${INBOX_TYP}"`);
  const kid = header['kid'];
  if (typeof kid !== 'string' || kid.length === 0) throw new SignatureError('missing-kid', 'the header has no kid');
  const embedded = EMBEDDED_KEY_PARAMETERS.find((parameter) => parameter in header);
  if (embedded) throw new SignatureError('embedded-key-refused', `header parameter "${embedded}" is refused`);
  if ('crit' in header) throw new SignatureError('unsupported-crit', 'no critical header extensions are understood');
  if ('b64' in header && header['b64'] !== true) throw new SignatureError('unsupported-b64', 'the payload must be base64url-encoded (b64: true)');
  return kid;
}

async function importVerificationKey(jwk: VerificationJwk | undefined, kid: string): Promise<KeyLike | Uint8Array> {
  if (!jwk) throw new SignatureError('unknown-key', `no exchange key "${kid}"`);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || (jwk.alg !== undefined && jwk.alg !== ALG)) {
    throw new SignatureError('key-algorithm-mismatch', `key "${kid}" is not an Ed25519 key`);
  }
  try {
    return await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, ALG);
  } catch {
    throw new SignatureError('key-algorithm-mismatch', `key "${kid}" is not a usable Ed25519 key`);
  }
}
