import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import { decimalProblem, isNormalized } from '@exchange/domain';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function custom(name: string, test: (value: unknown) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => test(value) === null,
        defaultMessage: (args) => `${args?.property} ${test(args?.value)}`,
      },
    });
}

/** A non-negative decimal string (quantities add `positive`); `normalized` for signed or hashed documents. */
export function IsDecimalString(opts: { positive?: boolean; normalized?: boolean } = {}, options?: ValidationOptions) {
  return custom('isDecimalString', (value) => {
    const problem = decimalProblem(value, { allowZero: !opts.positive });
    if (problem) return problem;
    if (opts.normalized && !isNormalized(value)) return 'must be normalized (no trailing zeros, no leading zeros, "0" for zero)';
    return null;
  }, options);
}

export function IsRfc3339DateTime(options?: ValidationOptions) {
  return custom('isRfc3339DateTime', (value) => (typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z'), options);
}

export function IsCalendarDate(options?: ValidationOptions) {
  return custom('isCalendarDate', (value) => (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? null : 'must be a date YYYY-MM-DD'), options);
}

/** Printable text without control characters. */
export function IsPlainText(maxLength: number, options?: ValidationOptions) {
  return custom('isPlainText', (value) => (typeof value === 'string' && value.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(value) ? null : `must be text of at most ${maxLength} characters without control characters`), options);
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BASE64URL_SHA256 = /^[A-Za-z0-9_-]{43}$/;
export const MAX_JWS_LENGTH = 200_000;

/** A compact JWS (header.payload.signature, base64url); what it signs is checked later, by the signing library. */
export const IsCompactJws = () => applyDecorators(IsString(), MaxLength(MAX_JWS_LENGTH), Matches(COMPACT_JWS, { message: 'jws must be a compact JWS' }));

/** A base64url (no padding) SHA-256: 43 characters. */
export const IsSha256Base64Url = () => applyDecorators(IsString(), Matches(BASE64URL_SHA256, { message: '$property must be a base64url SHA-256 (43 characters)' }));

export class VersionQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'a given version; the latest when absent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
