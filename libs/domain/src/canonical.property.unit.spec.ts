import fc from 'fast-check';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { canonicalJson, canonicalSha256, sha256Base64Url } from './canonical';

/** JSON values as they arrive over the wire (what JSON.parse can give). */
const wireJson = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  return value;
}

describe('canonical JSON (RFC 8785)', () => {
  it('is a fixed point: canonicalizing the parsed canonical form gives the same bytes', () => {
    fc.assert(fc.property(wireJson, (value) => expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value))));
  });

  it('keeps the value: parsing the canonical form gives back an equal value', () => {
    fc.assert(fc.property(wireJson, (value) => expect(JSON.parse(canonicalJson(value))).toEqual(value)));
  });

  it('does not depend on the order of members, so the hash does not either', () => {
    fc.assert(fc.property(wireJson, (value) => expect(canonicalSha256(reverseKeys(value))).toBe(canonicalSha256(value))));
  });

  it('orders members by UTF-16 code units, with no insignificant whitespace', () => {
    const byCodeUnits = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : a > b ? 1 : 0);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (value) => {
        const members = Object.entries(value)
          .sort(byCodeUnits)
          .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
        expect(canonicalJson(value)).toBe(`{${members.join(',')}}`);
      }),
    );
  });

  it('writes exactly what the canonicalize package writes, for any JSON value, string or shape', () => {
    fc.assert(fc.property(wireJson, (value) => expect(canonicalJson(value)).toBe(canonicalize(value))));
    fc.assert(
      fc.property(fc.fullUnicodeString(), fc.string({ unit: 'binary' }), (a, b) =>
        expect(canonicalJson({ [a]: b, [b]: [a] })).toBe(canonicalize({ [a]: b, [b]: [a] })),
      ),
    );
    fc.assert(
      fc.property(fc.anything({ withDate: true, withNullPrototype: true }), (value) => {
        let expected: string | undefined;
        try {
          expected = canonicalize(value);
        } catch (error) {
          expect(() => canonicalJson(value)).toThrow((error as Error).message);
          return;
        }
        if (expected === undefined) expect(() => canonicalJson(value)).toThrow(TypeError);
        else expect(canonicalJson(value)).toBe(expected);
      }),
    );
    for (const odd of [
      '\ud800',
      'a\udc00b',
      '\u2028\u2029',
      '\u007f',
      '"\\/',
      '\u0000\u001f',
      '😀',
      -0,
      1e21,
      5e-7,
      0.1 + 0.2,
      [undefined, () => 1],
      { a: undefined, b: Symbol('s') },
      new Date(0),
    ]) {
      expect(canonicalJson(odd)).toBe(canonicalize(odd));
    }
    expect(() => canonicalJson(Number.NaN)).toThrow('NaN is not allowed');
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow('Infinity is not allowed');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    // Where the package writes what is not JSON (holes of a sparse array, which no JSON text has), holes are null.
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 2])).toBe('[1,null,2]');
  });

  it('hashes a UTF-8 string or bytes as SHA-256, base64url without padding', () => {
    const reference = (input: string | Uint8Array) => createHash('sha256').update(input).digest('base64url');
    fc.assert(fc.property(fc.fullUnicodeString(), (text) => expect(sha256Base64Url(text)).toBe(reference(text))));
    fc.assert(fc.property(fc.uint8Array(), (bytes) => expect(sha256Base64Url(bytes)).toBe(reference(bytes))));
    expect(sha256Base64Url('')).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
  });
});
