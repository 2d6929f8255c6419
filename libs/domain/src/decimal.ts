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
  const scaled = allScaled(values);
  if (scaled) return renderScaled(sumScaled(scaled));
  return render(values.reduce((sum, v) => sum.plus(v), new Exact('0')));
}

export function multiply(a: DecimalString, b: DecimalString): DecimalString {
  const x = toScaled(a);
  const y = x && toScaled(b);
  if (x && y) return renderScaled({ units: x.units * y.units, scale: x.scale + y.scale });
  return render(new Exact(a).times(b));
}

/**
 * The column sums of a weighted table, and their sum: column j is base[j] + Σ weight × figures[j]
 * over the rows. Exact and normalized, the same strings as composing `add` and `multiply`, without
 * the figures in between (each figure is read once).
 */
export function weightedColumnSums(
  base: readonly DecimalString[],
  rows: readonly { weight: DecimalString; figures: readonly DecimalString[] }[],
): { sums: DecimalString[]; total: DecimalString } {
  const fast = scaledColumnSums(base, rows);
  if (fast) return { sums: fast.map(renderScaled), total: renderScaled(sumScaled(fast)) };
  const sums = base.map((b, j) => add(b, ...rows.map((row) => multiply(row.weight, row.figures[j]!))));
  return { sums, total: add(...sums) };
}

/*
 * The fast path of add, multiply and weightedColumnSums: plain decimal strings (digits, one optional
 * point with digits after it, an optional leading minus; what the exchange accepts and stores)
 * as a BigInt count of units of 10^-scale. Anything else (an exponent, a leading point) goes to
 * big.js, which also keeps refusing what is not a number. Both give the same exact result.
 */
interface Scaled {
  units: bigint;
  scale: number;
}

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

function toScaled(value: DecimalString): Scaled | undefined {
  if (typeof value !== 'string' || !PLAIN_DECIMAL.test(value)) return undefined;
  const point = value.indexOf('.');
  if (point < 0) return { units: BigInt(value), scale: 0 };
  return { units: BigInt(value.slice(0, point) + value.slice(point + 1)), scale: value.length - point - 1 };
}

function allScaled(values: readonly DecimalString[]): Scaled[] | undefined {
  const scaled: Scaled[] = [];
  for (const value of values) {
    const x = toScaled(value);
    if (!x) return undefined;
    scaled.push(x);
  }
  return scaled;
}

const POWERS_OF_TEN: bigint[] = [1n];
function powerOfTen(exponent: number): bigint {
  for (let n = POWERS_OF_TEN.length; n <= exponent; n++) POWERS_OF_TEN.push(POWERS_OF_TEN[n - 1]! * 10n);
  return POWERS_OF_TEN[exponent]!;
}

function scaledColumnSums(
  base: readonly DecimalString[],
  rows: readonly { weight: DecimalString; figures: readonly DecimalString[] }[],
): Scaled[] | undefined {
  const columns = allScaled(base);
  if (!columns) return undefined;
  for (const row of rows) {
    const weight = toScaled(row.weight);
    const figures = weight && allScaled(row.figures);
    if (!weight || !figures || figures.length < columns.length) return undefined;
    for (let j = 0; j < columns.length; j++) {
      const figure = figures[j]!;
      columns[j] = addScaled(columns[j]!, { units: weight.units * figure.units, scale: weight.scale + figure.scale });
    }
  }
  return columns;
}

function addScaled(a: Scaled, b: Scaled): Scaled {
  if (a.scale === b.scale) return { units: a.units + b.units, scale: a.scale };
  return a.scale > b.scale
    ? { units: a.units + b.units * powerOfTen(a.scale - b.scale), scale: a.scale }
    : { units: a.units * powerOfTen(b.scale - a.scale) + b.units, scale: b.scale };
}

function sumScaled(terms: readonly Scaled[]): Scaled {
  let scale = 0;
  for (const term of terms) if (term.scale > scale) scale = term.scale;
  let units = 0n;
  for (const term of terms) units += term.scale === scale ? term.units : term.units * powerOfTen(scale - term.scale);
  return { units, scale };
}

/** Normalized: no exponent, no trailing zeros after the point, no lone point, "0" for zero. */
function renderScaled({ units, scale }: Scaled): DecimalString {
  if (units === 0n) return '0';
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    let end = digits.length;
    const point = digits.length - scale;
    while (end > point && digits.charCodeAt(end - 1) === 48) end--;
    digits = end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  }
  return negative ? `-${digits}` : digits;
}

export function equal(a: DecimalString, b: DecimalString): boolean {
  return new Exact(a).eq(b);
}

/** a / b rounded half-even to 6 decimal places, normalized. */
export function divideRounded6(a: DecimalString, b: DecimalString): DecimalString {
  if (new Exact(b).eq('0')) throw new RangeError('division by zero');
  return render(new Rounded(a).div(b));
}
