import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) serialization: the only byte form in which documents are signed and hashed. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return text;
}

/** base64url (no padding) SHA-256 of bytes or of a UTF-8 string. */
export function sha256Base64Url(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('base64url');
}

/** base64url SHA-256 of the canonical JSON form of a value. */
export function canonicalSha256(value: unknown): string {
  return sha256Base64Url(canonicalJson(value));
}
