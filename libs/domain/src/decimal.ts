import Big from 'big.js';

/**
 * Exact decimal arithmetic on decimal strings. Sums and products are exact; the one division
 * (per functional unit) is rounded half-even to 6 places. Every result is normalized:
 * no exponent, no '+', no trailing zeros after the point, no lone point, "0" for zero.
 */
const Exact = Big();
Exact.strict = true;
Exact.NE = -1_000_000;
Exact.PE = 1_000_000;

const Rounded = Big();
Rounded.strict = true;
Rounded.NE = -1_000_000;
Rounded.PE = 1_000_000;
Rounded.DP = 6;
Rounded.RM = Big.roundHalfEven;

/** Most significant digits a decimal string may carry; longer inputs are refused, not truncated. */
export const MAX_DECIMAL_DIGITS = 40;

const DECIMAL_SYNTAX = /^-?\d+(\.\d+)?$/;

export type DecimalString = string;

/** Why a string is not an acceptable decimal, or null when it is. */
export function decimalProblem(value: unknown, opts: { allowNegative?: boolean; allowZero?: boolean } = {}): string | null {
  if (typeof value !== 'string') return 'must be a decimal string';
  if (!DECIMAL_SYNTAX.test(value)) return 'must be a decimal string such as "12.5" (digits, one optional point, no exponent)';
  if (value.replace(/[-.]/g, '').length > MAX_DECIMAL_DIGITS) return `must have at most ${MAX_DECIMAL_DIGITS} digits`;
  // A minus sign is refused where negatives are, "-0" included: it is never a normalized form.
  if (!opts.allowNegative && value.startsWith('-')) return 'must not be negative';
  const n = new Exact(value);
  if (opts.allowZero === false && n.eq('0')) return 'must be greater than zero';
  return null;
}

export function isDecimal(value: unknown): value is DecimalString {
  return decimalProblem(value, { allowNegative: true }) === null;
}

function render(n: Big): DecimalString {
  const text = n.toFixed();
  return text === '-0' ? '0' : text;
}

export function normalize(value: DecimalString): DecimalString {
  return render(new Exact(value));
}

export function isNormalized(value: unknown): boolean {
  return isDecimal(value) && normalize(value) === value;
}

export function add(...values: DecimalString[]): DecimalString {
  return render(values.reduce((sum, v) => sum.plus(v), new Exact('0')));
}

export function multiply(a: DecimalString, b: DecimalString): DecimalString {
  return render(new Exact(a).times(b));
}

export function equal(a: DecimalString, b: DecimalString): boolean {
  return new Exact(a).eq(b);
}

/** a / b rounded half-even to 6 decimal places, normalized. */
export function divideRounded6(a: DecimalString, b: DecimalString): DecimalString {
  if (new Exact(b).eq('0')) throw new RangeError('division by zero');
  return render(new Rounded(a).div(b));
}
