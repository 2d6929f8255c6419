import * as crypto from 'node:crypto';

/** RFC 8785 (JCS) serialization: the only byte form in which documents are signed and hashed. */
export function canonicalJson(value: unknown): string {
  const text = serialize(value) as string | undefined;
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return text;
}

/**
 * The JCS serializer (what the `canonicalize` package writes, byte for byte, checked by the
 * property tests, but building fewer strings): members sorted by UTF-16 code units, numbers and
 * strings as ECMAScript's JSON.stringify writes them, no whitespace; `toJSON` is honoured,
 * undefined members are left out, undefined array items (and holes, which the package skips and
 * no JSON text has) written as null.
 */
function serialize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value);
  }
  if (value === null) return 'null';
  const object = value as Record<string, unknown> & { toJSON?: unknown };
  if (typeof object.toJSON === 'function') return serialize((object.toJSON as () => unknown)());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += item === undefined || typeof item === 'symbol' ? 'null' : serialize(item);
    }
    return `${out}]`;
  }
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined || typeof item === 'symbol') continue;
    out += `${first ? '' : ','}${quote(key)}:${serialize(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** What JSON.stringify would escape in a string: quote, backslash, controls, surrogates (lone ones are escaped). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

const quote = (text: string) => (NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`);

/** Node's one-shot digest (20.12 and later): the same bytes as createHash, without a Hash object per call. */
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;

/** base64url (no padding) SHA-256 of bytes or of a UTF-8 string. */
export function sha256Base64Url(input: string | Uint8Array): string {
  if (oneShotHash) return oneShotHash('sha256', input, 'base64url');
  return crypto.createHash('sha256').update(input).digest('base64url');
}

/** base64url SHA-256 of the canonical JSON form of a value. */
export function canonicalSha256(value: unknown): string {
  return sha256Base64Url(canonicalJson(value));
}
