import { canonicalJson } from '@exchange/domain/canonical';
import { CompactSign, importJWK, type JWK, type KeyLike } from 'jose';
import { isPlainObject, type SigningAlgorithm } from './jwk';
import { toLowS } from './ecdsa-low-s';
import { containsLoneSurrogate } from './json-text';

export interface SignDocumentOptions {
  privateJwk: JWK;
  kid: string;
  alg: SigningAlgorithm;
  typ: string;
}

/** A compact JWS `{ alg, kid, typ }` whose payload is exactly `canonicalJson(document)`. */
export async function signDocument(document: object, options: SignDocumentOptions): Promise<string> {
  if (!isPlainObject(document)) throw new TypeError('a signed document must be a JSON object');
  if (containsLoneSurrogate(document)) throw new TypeError('a signed document must not contain lone surrogates');
  const { privateJwk, kid, alg, typ } = options;
  if (typeof privateJwk.d !== 'string') throw new TypeError('privateJwk must be a private key');
  const key = (await importJWK(privateJwk, alg)) as KeyLike;
  const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(document))).setProtectedHeader({ alg, kid, typ }).sign(key);
  return alg === 'ES256' ? withLowS(jws) : jws;
}

/** The compact JWS with its ES256 signature in low-S form (see ecdsa-low-s). */
function withLowS(jws: string): string {
  const cut = jws.lastIndexOf('.') + 1;
  const signature = Buffer.from(jws.slice(cut), 'base64url');
  return jws.slice(0, cut) + Buffer.from(toLowS(signature)).toString('base64url');
}
