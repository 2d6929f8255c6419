import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

import type { PublicJwk, SigningAlgorithm } from '@exchange/domain/events';

export type { PublicJwk, SigningAlgorithm };
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['EdDSA', 'ES256'];

export interface JsonWebKeySet<K = PublicJwk> {
  keys: K[];
}

export const MAX_KEYS_PER_JWKS = 20;
const MAX_KID_LENGTH = 256;
const COORDINATE_BYTES = 32;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const CURVE_OF_KTY: Record<string, string> = { OKP: 'Ed25519', EC: 'P-256' };
const ALGORITHM_OF_CURVE: Record<string, SigningAlgorithm> = { Ed25519: 'EdDSA', 'P-256': 'ES256' };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strict base64url (no padding, canonical trailing bits) decoding to exactly `bytes` bytes. */
export function isBase64UrlOfLength(value: unknown, bytes: number): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64url');
  return decoded.length === bytes && decoded.toString('base64url') === value;
}

/** The algorithm a key of this curve signs with, or undefined for any other key. */
export function algorithmOfKey(jwk: { kty?: unknown; crv?: unknown }): SigningAlgorithm | undefined {
  if (typeof jwk.kty !== 'string' || typeof jwk.crv !== 'string') return undefined;
  if (CURVE_OF_KTY[jwk.kty] !== jwk.crv) return undefined;
  return ALGORITHM_OF_CURVE[jwk.crv];
}

/** Why `jwk` is not an acceptable public verification key, or null when it is. */
export function publicJwkProblem(jwk: unknown): string | null {
  if (!isPlainObject(jwk)) return 'a JWK must be a JSON object';
  const privateMember = PRIVATE_MEMBERS.find((member) => member in jwk);
  if (privateMember) return `private key member "${privateMember}" is not allowed: register public keys only`;
  if (typeof jwk.kid !== 'string' || jwk.kid.length === 0) return 'kid must be a non-empty string';
  if (jwk.kid.length > MAX_KID_LENGTH) return `kid must be at most ${MAX_KID_LENGTH} characters`;
  const algorithm = algorithmOfKey(jwk);
  if (!algorithm) return 'only kty "OKP" with crv "Ed25519" or kty "EC" with crv "P-256" are accepted';
  if (!isBase64UrlOfLength(jwk.x, COORDINATE_BYTES)) return `x must be base64url of ${COORDINATE_BYTES} bytes`;
  if (jwk.kty === 'EC' && !isBase64UrlOfLength(jwk.y, COORDINATE_BYTES)) {
    return `y must be base64url of ${COORDINATE_BYTES} bytes`;
  }
  if (jwk.kty === 'OKP' && 'y' in jwk) return 'an OKP key has no y';
  if ('alg' in jwk && jwk.alg !== algorithm) return `alg must be "${algorithm}" for crv "${jwk.crv}"`;
  if ('use' in jwk && jwk.use !== 'sig') return 'use must be "sig"';
  if ('key_ops' in jwk && !isVerifyOnly(jwk.key_ops)) return 'key_ops may only contain "verify"';
  if (!isImportable(jwk)) return 'the key is not a valid point on its curve';
  return null;
}

function isVerifyOnly(keyOps: unknown): boolean {
  return Array.isArray(keyOps) && keyOps.every((operation) => operation === 'verify');
}

function isImportable(jwk: Record<string, unknown>): boolean {
  try {
    createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as JsonWebKey, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

/** Why `jwks` is not an acceptable `{ keys: [...] }` set, or null when it is. */
export function jwksProblem(jwks: unknown): string | null {
  if (!isPlainObject(jwks) || !Array.isArray(jwks.keys)) return 'a JWKS must be an object { keys: [...] }';
  const keys: unknown[] = jwks.keys;
  if (keys.length === 0) return 'a JWKS must contain at least one key';
  if (keys.length > MAX_KEYS_PER_JWKS) return `a JWKS may contain at most ${MAX_KEYS_PER_JWKS} keys`;
  for (const [index, key] of keys.entries()) {
    const problem = publicJwkProblem(key);
    if (problem) return `keys[${index}]: ${problem}`;
  }
  const valid = keys as PublicJwk[];
  const kids = new Set(valid.map((key) => key.kid));
  if (kids.size !== valid.length) return 'kids must be unique within a JWKS';
  const materials = new Set(valid.map(keyMaterialId));
  if (materials.size !== valid.length) return 'the same key must not appear twice under different kids';
  return null;
}

/** The members that make up the key itself (RFC 7638 required members), as one comparable string. */
export function keyMaterialId(jwk: PublicJwk): string {
  return [jwk.kty, jwk.crv, jwk.x, jwk.y ?? ''].join('|');
}

export function sameKeyMaterial(a: PublicJwk, b: PublicJwk): boolean {
  return keyMaterialId(a) === keyMaterialId(b);
}

/** A copy holding only the members we keep for a registered key (drops e.g. key_ops, ext). */
export function normalizePublicJwk(jwk: PublicJwk): PublicJwk {
  const normalized: PublicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid };
  if (jwk.y !== undefined) normalized.y = jwk.y;
  if (jwk.alg !== undefined) normalized.alg = jwk.alg;
  if (jwk.use !== undefined) normalized.use = jwk.use;
  return normalized;
}

/** RFC 7638 SHA-256 thumbprint, base64url: the conventional kid of a key. */
export function thumbprintKid(publicJwk: JWK): Promise<string> {
  const { kty, crv, x, y } = publicJwk;
  return calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
}

export interface ParticipantKey {
  alg: SigningAlgorithm;
  kid: string;
  publicJwk: PublicJwk;
  privateJwk: JWK;
}

/** A fresh signing key for a participant (CLI/SDK, tests); kid is the RFC 7638 thumbprint. */
export async function generateParticipantKey(alg: SigningAlgorithm): Promise<ParticipantKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
    extractable: true,
  });
  const exportedPublic = await exportJWK(publicKey);
  const kid = await thumbprintKid(exportedPublic);
  const publicJwk = normalizePublicJwk({ ...(exportedPublic as PublicJwk), kid, alg });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg };
  return { alg, kid, publicJwk, privateJwk };
}
