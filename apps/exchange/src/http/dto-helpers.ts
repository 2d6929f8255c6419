import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  isUUID,
  Matches,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { decimalProblem, isNormalized } from '@exchange/domain';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-body';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether year-month-day is a day of the proleptic Gregorian calendar (no 2026-02-30, no month 13). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * An RFC 3339 date-time whose every field is in range. `Date.parse` alone is not enough: it takes
 * 2026-02-30 (as March 2) and 24:00. A leap second (:60) is refused: no clock here can represent it.
 */
export function isRfc3339DateTime(value: unknown): boolean {
  const m = typeof value === 'string' ? RFC3339.exec(value) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [m[8] === undefined ? 0 : Number(m[8]), m[9] === undefined ? 0 : Number(m[9])];
  return (
    isCalendarDay(year, month, day) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59 &&
    !Number.isNaN(Date.parse(value as string))
  );
}

export function isCalendarDate(value: unknown): boolean {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

function custom(name: string, test: (value: unknown) => string | null, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => test(value) === null,
        defaultMessage: (args) => `${args?.property} ${test(args?.value)}`,
      },
    });
}

/** A non-negative decimal string (quantities add `positive`); `normalized` for signed or hashed documents. */
export function IsDecimalString(opts: { positive?: boolean; normalized?: boolean } = {}, options?: ValidationOptions) {
  return custom(
    'isDecimalString',
    (value) => {
      const problem = decimalProblem(value, { allowZero: !opts.positive });
      if (problem) return problem;
      if (opts.normalized && !isNormalized(value)) return 'must be normalized (no trailing zeros, no leading zeros, "0" for zero)';
      return null;
    },
    options,
  );
}

/**
 * An id: a UUID in its canonical form, lower-case hex. An upper-case form is the same UUID written
 * differently; accepting it would let one id name two things (or one thing twice), so it is refused.
 */
export const isId = (value: unknown): value is string => typeof value === 'string' && value === value.toLowerCase() && isUUID(value);

export const ID_MESSAGE = 'must be a UUID in lower case';

export function IsId(options?: ValidationOptions) {
  return custom('isId', (value) => (isId(value) ? null : ID_MESSAGE), options);
}

export function IsRfc3339DateTime(options?: ValidationOptions) {
  return custom(
    'isRfc3339DateTime',
    (value) => (isRfc3339DateTime(value) ? null : 'must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z, with a day that exists'),
    options,
  );
}

export function IsCalendarDate(options?: ValidationOptions) {
  return custom('isCalendarDate', (value) => (isCalendarDate(value) ? null : 'must be a date YYYY-MM-DD that exists'), options);
}

/**
 * What text fields refuse: C0 controls (NUL, TAB, CR, LF, ESC, ...), DEL and C1 controls (CSI, ...),
 * which can forge log lines or drive terminals, and lone surrogates, which have no UTF-8 form (the
 * text could not be hashed or reproduced byte for byte). Other Unicode is text, U+2028 and U+2029
 * included: valid JSON and UTF-8, inert in terminals and in canonical JSON.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isPlainText = (value: unknown, maxLength: number): boolean =>
  typeof value === 'string' && value.length <= maxLength && !CONTROL_OR_LONE_SURROGATE.test(value);

/** Printable text of at most `maxLength` UTF-16 code units, without control characters or lone surrogates. */
export function IsPlainText(maxLength: number, options?: ValidationOptions) {
  return custom(
    'isPlainText',
    (value) => (isPlainText(value, maxLength) ? null : `must be text of at most ${maxLength} characters without control characters`),
    options,
  );
}

/** A nested object of class `cls`: an object (never an array, a string or null), validated member by member. */
export const NestedObject = (cls: () => new () => object) => applyDecorators(IsObject(), ValidateNested(), Type(cls));

/** An array of objects of class `cls` (never arrays or scalars as elements), each validated member by member. */
export const NestedObjects = (cls: () => new () => object) =>
  applyDecorators(
    IsArray(),
    IsObject({ each: true, message: 'each value in $property must be an object' }),
    ValidateNested({ each: true }),
    Type(cls),
  );

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BASE64URL_SHA256 = /^[A-Za-z0-9_-]{43}$/;
export const MAX_JWS_LENGTH = 200_000;

/** The validation constraint that the problem mapping turns into 400 `too-deeply-nested`. */
export const NESTING_CONSTRAINT = 'isNotTooDeeplyNested';

/** Whether a compact JWS's header or payload segment decodes to JSON nested deeper than MAX_JSON_DEPTH. */
function jwsNestsTooDeeply(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_JWS_LENGTH || !COMPACT_JWS.test(value)) return false;
  const [header = '', payload = ''] = value.split('.');
  return jsonNestsDeeperThan(Buffer.from(header, 'base64url')) || jsonNestsDeeperThan(Buffer.from(payload, 'base64url'));
}

/**
 * A compact JWS (header.payload.signature, base64url) whose header and payload nest JSON at most
 * MAX_JSON_DEPTH levels deep; what it signs is checked later, by the signing library.
 */
export const IsCompactJws = () =>
  applyDecorators(
    IsString(),
    MaxLength(MAX_JWS_LENGTH),
    Matches(COMPACT_JWS, { message: 'jws must be a compact JWS' }),
    custom(NESTING_CONSTRAINT, (value) =>
      jwsNestsTooDeeply(value) ? `header or payload nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep` : null,
    ),
  );

/** A base64url (no padding) SHA-256: 43 characters. */
export const IsSha256Base64Url = () =>
  applyDecorators(IsString(), Matches(BASE64URL_SHA256, { message: '$property must be a base64url SHA-256 (43 characters)' }));

export class VersionQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'a given version; the latest when absent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
