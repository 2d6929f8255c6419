import { createHmac, createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';

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
    privateJwk.kty === 'OKP'
      ? sign(null, Buffer.from(input), key)
      : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** An HS256 token keyed with `secret`: the classic algorithm-confusion attack uses the victim's public key. */
export function hmacCompactByHand(header: object | string, payload: string | Uint8Array, secret: Uint8Array | string): string {
  const input = signingInput(header, payload);
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** An unsecured JWS (alg "none"): empty signature. */
export function unsecuredCompactByHand(header: object | string, payload: string | Uint8Array): string {
  return `${signingInput(header, payload)}.`;
}
