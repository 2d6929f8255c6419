import { createHmac, createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { toLowS } from '../ecdsa-low-s';

/**
 * Builds compact JWS by hand, bypassing jose's own checks, so that tests can present the exchange
 * with exactly the tokens an attacker could send. Test code only (excluded from the build).
 */
export function base64UrlOf(value: string | Uint8Array | object): string {
  const bytes = typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value);
  return Buffer.from(bytes).toString('base64url');
}

/** `header` is an object, or JSON text used verbatim (for headers JSON.stringify cannot produce, such as duplicate names). */
function signingInput(header: object | string, payload: string | Uint8Array): string {
  return `${base64UrlOf(header)}.${base64UrlOf(payload)}`;
}

/** Any header, any payload bytes, signed with an Ed25519 (EdDSA) or P-256 (ES256) private JWK. */
export function signCompactByHand(header: object | string, payload: string | Uint8Array, privateJwk: JWK): string {
  const input = signingInput(header, payload);
  const key = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  const signature =
    privateJwk.kty === 'OKP' ? sign(null, Buffer.from(input), key) : toLowS(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

/**
 * The other valid form of an ES256 JWS: (r, n − s) for its (r, s). It verifies with the same key,
 * so it is a second JWS string for the same signed payload (what the exchange refuses).
 */
export function withMirroredS(jws: string): string {
  const cut = jws.lastIndexOf('.') + 1;
  const signature = Buffer.from(jws.slice(cut), 'base64url');
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const mirrored = (P256_N - s).toString(16).padStart(64, '0');
  return `${jws.slice(0, cut)}${Buffer.concat([signature.subarray(0, 32), Buffer.from(mirrored, 'hex')]).toString('base64url')}`;
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** An HS256 token keyed with `secret`: the classic algorithm-confusion attack uses the victim's public key. */
export function hmacCompactByHand(header: object | string, payload: string | Uint8Array, secret: Uint8Array | string): string {
  const input = signingInput(header, payload);
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** An unsecured JWS (alg "none"): empty signature. */
export function unsecuredCompactByHand(header: object | string, payload: string | Uint8Array): string {
  return `${signingInput(header, payload)}.`;
}
