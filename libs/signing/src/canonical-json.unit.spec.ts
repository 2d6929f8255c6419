import { canonicalJson, sha256Base64Url } from '@exchange/domain/canonical';

/** IEEE 754 bit patterns to their expected ECMAScript serialization: RFC 8785 section 3.2.2.3 / Appendix B. */
const NUMBER_VECTORS: Array<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'], // -0
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

function doubleFromBits(hex: string): number {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(`0x${hex}`));
  return buffer.readDoubleBE(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it.each(NUMBER_VECTORS)('serializes the double 0x%s as %s', (bits, expected) => {
    expect(canonicalJson(doubleFromBits(bits))).toBe(expected);
  });

  it('serializes 1e21, -0 and 333333333.33333329 as in the RFC', () => {
    // The literal is RFC 8785's own example of a number that JSON text writes with more digits than a double keeps.
    // eslint-disable-next-line no-loss-of-precision
    expect(canonicalJson({ a: 1e21, b: -0, c: 333333333.33333329 })).toBe('{"a":1e+21,"b":0,"c":333333333.3333333}');
  });

  it('refuses NaN and Infinity (they have no JSON form)', () => {
    expect(() => canonicalJson(NaN)).toThrow();
    expect(() => canonicalJson(Infinity)).toThrow();
    expect(() => canonicalJson({ a: -Infinity })).toThrow();
  });

  it('orders members by UTF-16 code units, non-ASCII keys included (section 3.2.3)', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    const order = [...canonicalJson(input).matchAll(/"([^"]*)":"([^"]*)"/g)].map((match) => match[2]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('sorts nested objects but keeps array order', () => {
    expect(canonicalJson({ b: [3, 1, { z: 1, a: 2 }], a: null })).toBe('{"a":null,"b":[3,1,{"a":2,"z":1}]}');
  });

  it('reproduces the RFC 8785 section 3.2.4 example, string escaping included', () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('hashes the UTF-8 bytes of the canonical text', () => {
    const text = canonicalJson({ name: 'Zürich', n: 1 });
    expect(text).toBe('{"n":1,"name":"Zürich"}');
    expect(sha256Base64Url(text)).toBe(sha256Base64Url(Buffer.from(text, 'utf8')));
    expect(sha256Base64Url(text)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
