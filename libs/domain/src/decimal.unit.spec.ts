import fc from 'fast-check';
import Big from 'big.js';
import { add, weightedColumnSums, decimalProblem, divideRounded6, equal, isNormalized, multiply, normalize, MAX_DECIMAL_DIGITS } from './decimal';

/** A reference model: value = units / 10^scale, in BigInt. */
interface Exact {
  units: bigint;
  scale: number;
}
const pow10 = (n: number) => 10n ** BigInt(n);
const abs = (n: bigint) => (n < 0n ? -n : n);

function parse(text: string): Exact {
  const negative = text.startsWith('-');
  const [integer, fraction = ''] = text.replace('-', '').split('.');
  return { units: BigInt(`${integer}${fraction}`) * (negative ? -1n : 1n), scale: fraction.length };
}

function render({ units, scale }: Exact): string {
  while (scale > 0 && units % 10n === 0n) [units, scale] = [units / 10n, scale - 1];
  const digits = abs(units)
    .toString()
    .padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return units < 0n ? `-${text}` : text;
}

const addExact = (a: Exact, b: Exact): Exact => {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * pow10(scale - a.scale) + b.units * pow10(scale - b.scale), scale };
};
const multiplyExact = (a: Exact, b: Exact): Exact => ({ units: a.units * b.units, scale: a.scale + b.scale });

/** a / b rounded half-even to 6 places, by integer division. */
function divideHalfEven6(a: Exact, b: Exact): Exact {
  const numerator = a.units * pow10(b.scale + 6);
  const denominator = b.units * pow10(a.scale);
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [abs(numerator), abs(denominator)];
  let quotient = n / d;
  const twiceRemainder = 2n * (n % d);
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale: 6 };
}

const NORMALIZED = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;
const isNormalForm = (text: string) => NORMALIZED.test(text) && text !== '-0';

const digits = (minLength: number, maxLength: number) => fc.stringOf(fc.constantFrom(...'0123456789'), { minLength, maxLength });
/** Decimal strings as clients write them: any sign, leading zeros, trailing zeros, up to 20 + 20 digits. */
const decimal = fc
  .tuple(fc.boolean(), digits(1, 20), fc.option(digits(1, 20), { nil: undefined }))
  .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);
const nonZeroDecimal = decimal.filter((text) => parse(text).units !== 0n);

describe('decimal strings', () => {
  it('normalizes as the contract says', () => {
    expect(['3.0', '0.00', '-0', '-0.000', '007.50', '12.5', '1000'].map(normalize)).toEqual(['3', '0', '0', '0', '7.5', '12.5', '1000']);
  });

  it('refuses what is not a plain decimal string', () => {
    for (const text of ['1e3', '+1', '.5', '5.', '1,5', ' 1', '', '0x10']) expect(decimalProblem(text)).not.toBeNull();
    expect(decimalProblem(1.5)).toBe('must be a decimal string');
    expect(decimalProblem('-1')).toBe('must not be negative');
    expect(decimalProblem('0', { allowZero: false })).toBe('must be greater than zero');
    expect(decimalProblem('9'.repeat(MAX_DECIMAL_DIGITS))).toBeNull();
    expect(decimalProblem('9'.repeat(MAX_DECIMAL_DIGITS + 1))).toMatch(/at most/);
  });

  it('normalize is idempotent and gives the normal form of the same value', () =>
    fc.assert(
      fc.property(decimal, (a) => {
        const once = normalize(a);
        expect(normalize(once)).toBe(once);
        expect(once).toBe(render(parse(a)));
        expect(isNormalized(once)).toBe(true);
        expect(equal(a, once)).toBe(true);
      }),
    ));

  it('add is exact, commutative and associative', () =>
    fc.assert(
      fc.property(decimal, decimal, decimal, (a, b, c) => {
        expect(add(a, b)).toBe(render(addExact(parse(a), parse(b))));
        expect(add(a, b)).toBe(add(b, a));
        expect(add(add(a, b), c)).toBe(add(a, add(b, c)));
        expect(add(a, b, c)).toBe(add(add(a, b), c));
      }),
    ));

  it('multiply is exact and distributes over add', () =>
    fc.assert(
      fc.property(decimal, decimal, decimal, (a, b, c) => {
        expect(multiply(a, b)).toBe(render(multiplyExact(parse(a), parse(b))));
        expect(multiply(a, add(b, c))).toBe(add(multiply(a, b), multiply(a, c)));
      }),
    ));

  it('weightedColumnSums gives exactly base + Σ weight × figure per column, and the sum of the columns', () =>
    fc.assert(
      fc.property(
        fc.array(decimal, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(decimal, fc.array(decimal, { minLength: 5, maxLength: 5 })), { maxLength: 8 }),
        (base, drawn) => {
          const rows = drawn.map(([weight, figures]) => ({ weight, figures: figures.slice(0, base.length) }));
          const expected = base.map((b, j) =>
            rows.reduce((sum, row) => addExact(sum, multiplyExact(parse(row.weight), parse(row.figures[j]!))), parse(b)),
          );
          const { sums, total } = weightedColumnSums(base, rows);
          expect(sums).toEqual(expected.map(render));
          expect(total).toBe(render(expected.reduce(addExact)));
          expect(sums).toEqual(base.map((b, j) => add(b, ...rows.map((row) => multiply(row.weight, row.figures[j]!)))));
        },
      ),
    ));

  it('agrees with big.js, which still takes what the fast path does not (exponents, a leading point)', () => {
    const exact = (text: string) => {
      const fixed = new Big(text).toFixed();
      return fixed === '-0' ? '0' : fixed;
    };
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(add(a, b)).toBe(exact(new Big(a).plus(b).toFixed()));
        expect(multiply(a, b)).toBe(exact(new Big(a).times(b).toFixed()));
      }),
    );
    expect(add('1e3', '.5', '2')).toBe('1002.5');
    expect(multiply('1.5e-2', '2')).toBe('0.03');
    expect(
      weightedColumnSums(
        ['1e1', '1'],
        [
          { weight: '.5', figures: ['2', '0.1'] },
          { weight: '3', figures: ['0.1', '1.5e0'] },
        ],
      ),
    ).toEqual({ sums: ['11.3', '5.55'], total: '16.85' });
    expect(add()).toBe('0');
    expect(weightedColumnSums(['-0.50', '0.00'], [])).toEqual({ sums: ['-0.5', '0'], total: '-0.5' });
    expect(() => add('1', 'one')).toThrow();
    expect(() => weightedColumnSums(['1'], [{ weight: '2', figures: ['x'] }])).toThrow();
  });

  it('never answers an exponent, a "+", a lone point, a trailing zero or "-0", however large or small', () =>
    fc.assert(
      fc.property(decimal, nonZeroDecimal, (a, b) => {
        for (const result of [normalize(a), add(a, b), multiply(a, b), multiply(multiply(a, b), multiply(a, b)), divideRounded6(a, b)]) {
          expect(isNormalForm(result)).toBe(true);
        }
      }),
    ));

  it('divideRounded6 rounds half-even to 6 places, as a BigInt reference does', () =>
    fc.assert(
      fc.property(decimal, nonZeroDecimal, (a, b) => {
        expect(divideRounded6(a, b)).toBe(render(divideHalfEven6(parse(a), parse(b))));
      }),
    ));

  it('divideRounded6 breaks exact ties towards the even digit', () =>
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 1, max: 4 }), (k, divisorDigits) => {
        const divisor = pow10(divisorDigits).toString();
        const tie = multiply(render({ units: k * 10n + 5n, scale: 7 }), divisor);
        expect(divideRounded6(tie, divisor)).toBe(render(divideHalfEven6(parse(tie), parse(divisor))));
      }),
    ));

  it('divideRounded6 on worked examples', () => {
    expect(['0.0000005', '0.0000015', '0.0000025', '-0.0000025', '0.00000251'].map((a) => divideRounded6(a, '1'))).toEqual([
      '0',
      '0.000002',
      '0.000002',
      '-0.000002',
      '0.000003',
    ]);
    expect(divideRounded6('1', '3')).toBe('0.333333');
    expect(divideRounded6('2', '3')).toBe('0.666667');
    expect(divideRounded6('5624.85248', '90000')).toBe('0.062498');
    expect(divideRounded6('-0.0000001', '1')).toBe('0');
    expect(() => divideRounded6('1', '0.000')).toThrow(RangeError);
  });
});
