import fc from 'fast-check';
import { canonicalJson, canonicalSha256 } from './canonical';

/** JSON values as they arrive over the wire (what JSON.parse can give). */
const wireJson = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
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
        const members = Object.entries(value).sort(byCodeUnits).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
        expect(canonicalJson(value)).toBe(`{${members.join(',')}}`);
      }),
    );
  });
});
