import { canonicalJson, sha256Base64Url } from '@exchange/domain/canonical';
import { compactVerify, importJWK, type KeyLike } from 'jose';
import { hasLowS } from './ecdsa-low-s';
import { SignatureError } from './errors';
import { algorithmOfKey, isPlainObject, keyMaterialId, SIGNING_ALGORITHMS, type PublicJwk, type SigningAlgorithm } from './jwk';
import { containsLoneSurrogate, decodeUtf8Strictly, hasDuplicateMemberNames, parseJsonOrUndefined } from './json-text';

export interface DocumentJwsHeader {
  alg: SigningAlgorithm;
  kid: string;
  typ: string;
  [parameter: string]: unknown;
}

export interface VerifiedDocument {
  header: DocumentJwsHeader;
  payload: unknown;
  /** The signed bytes as text: the document's RFC 8785 canonical JSON. */
  payloadText: string;
  /** base64url SHA-256 of the signed payload bytes (not of the base64url segment). */
  payloadSha256: string;
}

export interface VerifyDocumentOptions {
  expectedTyp: string;
  resolveKey: (kid: string) => PublicJwk | undefined;
  /** Runs on the parsed payload before the signature is checked, to refuse what no signature could make acceptable (another issuer). */
  checkPayload?: (payload: Record<string, unknown>) => void;
}

/** Header parameters that would let the signer choose the verification key. */
const EMBEDDED_KEY_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
// The signature may be empty here so that alg "none" is refused by name rather than as malformed.
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)$/;

/** Verifies a participant's compact JWS under the exchange's rules; throws SignatureError. */
export async function verifyDocumentJws(jws: string, options: VerifyDocumentOptions): Promise<VerifiedDocument> {
  const [headerSegment, payloadSegment, signatureSegment] = splitCompactJws(jws);
  const header = checkHeader(parseHeader(headerSegment), options.expectedTyp);
  if (header.alg === 'ES256' && !hasLowS(decodeSegment(signatureSegment))) {
    throw new SignatureError('high-s-signature', 'the ES256 signature is not in its low-S form (s > n/2); sign again, or replace s with n - s');
  }
  const payloadBytes = decodeSegment(payloadSegment);
  const { payload, payloadText } = parseCanonicalPayload(payloadBytes);
  options.checkPayload?.(payload);
  const jwk = options.resolveKey(header.kid);
  if (!jwk) throw new SignatureError('unknown-key', `no key "${header.kid}" was valid for this issuer`);
  const key = await importVerificationKey(jwk, header.alg);
  try {
    await compactVerify(jws, key, { algorithms: [...SIGNING_ALGORITHMS] });
  } catch (error) {
    throw signatureErrorFromJose(error);
  }
  return { header, payload, payloadText, payloadSha256: sha256Base64Url(payloadBytes) };
}

/** Header and payload of a compact JWS, without any signature check: for tools and diagnostics only. */
export function decodeJwsUnverified(jws: string): { header: Record<string, unknown>; payload: unknown } {
  const [headerSegment, payloadSegment] = splitCompactJws(jws);
  const header = parseHeader(headerSegment);
  const text = decodeUtf8Strictly(decodeSegment(payloadSegment));
  const payload = text === undefined ? undefined : parseJsonOrUndefined(text);
  if (payload === undefined) throw new SignatureError('malformed-payload', 'the payload is not UTF-8 JSON');
  return { header, payload };
}

function splitCompactJws(jws: unknown): [string, string, string] {
  const match = typeof jws === 'string' ? COMPACT_JWS.exec(jws) : null;
  if (!match && isJsonSerialization(jws)) {
    // One signature, the one that must verify: a general serialization could carry a good signature next to a bad one.
    throw new SignatureError(
      'malformed-jws',
      'JWS JSON serialization (flattened or general, one or more signatures) is not accepted: send the compact serialization',
    );
  }
  if (!match) throw new SignatureError('malformed-jws', 'not a compact JWS (three base64url segments)');
  const segments: [string, string, string] = [match[1], match[2], match[3]];
  segments.forEach(decodeSegment);
  return segments;
}

function isJsonSerialization(jws: unknown): boolean {
  const value = typeof jws === 'string' && jws.trimStart().startsWith('{') ? parseJsonOrUndefined(jws) : jws;
  return isPlainObject(value) && ('signatures' in value || 'signature' in value || 'payload' in value);
}

function decodeSegment(segment: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw new SignatureError('malformed-jws', 'a segment is not canonical base64url');
  }
  return bytes;
}

function parseHeader(segment: string): Record<string, unknown> {
  const text = decodeUtf8Strictly(decodeSegment(segment));
  const header = text === undefined ? undefined : parseJsonOrUndefined(text);
  if (!isPlainObject(header)) throw new SignatureError('malformed-jws', 'the protected header is not a JSON object');
  // RFC 7515 section 4 lets a parser keep the last duplicate; we refuse them, as in the payload.
  if (hasDuplicateMemberNames(text!)) throw new SignatureError('malformed-jws', 'the protected header repeats a parameter name');
  return header;
}

function checkHeader(header: Record<string, unknown>, expectedTyp: string): DocumentJwsHeader {
  const { alg, typ, kid } = header;
  if (!SIGNING_ALGORITHMS.includes(alg as SigningAlgorithm)) {
    throw new SignatureError('unsupported-algorithm', `alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  }
  if (typ !== expectedTyp) throw new SignatureError('wrong-typ', `typ must be "${expectedTyp}"`);
  if (typeof kid !== 'string' || kid.length === 0) throw new SignatureError('missing-kid', 'the header has no kid');
  const embedded = EMBEDDED_KEY_PARAMETERS.find((parameter) => parameter in header);
  if (embedded) {
    throw new SignatureError('embedded-key-refused', `header parameter "${embedded}" is refused: keys come from the registered JWKS`);
  }
  if ('crit' in header) throw new SignatureError('unsupported-crit', 'no critical header extensions are understood');
  if ('b64' in header) throw new SignatureError('unsupported-b64', 'the b64 header parameter is not supported');
  return header as DocumentJwsHeader;
}

const MAX_CACHED_KEYS = 1000;
const importedKeys = new Map<string, KeyLike>();

async function importVerificationKey(jwk: PublicJwk, alg: SigningAlgorithm): Promise<KeyLike> {
  if (algorithmOfKey(jwk) !== alg || (jwk.alg !== undefined && jwk.alg !== alg)) {
    throw new SignatureError('key-algorithm-mismatch', `key "${jwk.kid}" is not a key for ${alg}`);
  }
  const cacheKey = `${alg}|${jwk.kid}|${keyMaterialId(jwk)}`;
  const cached = importedKeys.get(cacheKey);
  if (cached) return cached;
  let key: KeyLike;
  try {
    key = (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, alg)) as KeyLike;
  } catch {
    throw new SignatureError('key-algorithm-mismatch', `key "${jwk.kid}" is not a usable ${alg} key`);
  }
  if (importedKeys.size >= MAX_CACHED_KEYS) importedKeys.clear();
  importedKeys.set(cacheKey, key);
  return key;
}

/** Maps jose's error codes onto ours; anything that is not a jose error is a bug and passes through. */
export function signatureErrorFromJose(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new SignatureError('bad-signature', 'the signature does not verify with the registered key');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new SignatureError('unsupported-algorithm', message);
    case 'ERR_JWK_INVALID':
      return new SignatureError('key-algorithm-mismatch', message);
    case 'ERR_JWS_INVALID':
      return new SignatureError('malformed-jws', message);
    default:
      return typeof code === 'string' && code.startsWith('ERR_J') ? new SignatureError('malformed-jws', message) : error;
  }
}

function parseCanonicalPayload(bytes: Uint8Array): { payload: Record<string, unknown>; payloadText: string } {
  const payloadText = decodeUtf8Strictly(bytes);
  if (payloadText === undefined) throw new SignatureError('malformed-payload', 'the payload is not valid UTF-8');
  const payload = parseJsonOrUndefined(payloadText);
  if (!isPlainObject(payload)) throw new SignatureError('malformed-payload', 'the payload is not a JSON object');
  if (containsLoneSurrogate(payload)) {
    throw new SignatureError('malformed-payload', 'the payload contains a lone surrogate (no UTF-8 form)');
  }
  // The canonical form of the parsed value lists each member once, so duplicate keys never match it.
  if (canonicalFormOf(payload) !== payloadText) {
    throw new SignatureError('payload-not-canonical', 'the payload is not RFC 8785 canonical JSON (or has duplicate keys)');
  }
  return { payload, payloadText };
}

function canonicalFormOf(payload: unknown): string | undefined {
  try {
    return canonicalJson(payload);
  } catch {
    return undefined;
  }
}
