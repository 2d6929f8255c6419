import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { invalid, type FieldError } from '@exchange/domain';
import { NESTING_CONSTRAINT } from './dto-helpers';
import { MAX_JSON_DEPTH, tooDeeplyNested } from './json-body';

export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

const hasConstraint = (errors: ValidationError[], name: string): boolean =>
  errors.some((e) => (e.constraints !== undefined && name in e.constraints) || hasConstraint(e.children ?? [], name));

/**
 * Member names that class-transformer silently drops instead of copying (and that would reach the
 * prototype if anything ever merged the body): refused like any other unknown field.
 */
const RESERVED_MEMBERS = new Set(['__proto__', 'constructor']);

/** Field errors for every reserved member name in a JSON value; iterative, and bounded like the body parser. */
export function reservedMemberErrors(value: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: prefix, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current !== 'object' || current === null || depth > MAX_JSON_DEPTH) continue;
    for (const [name, member] of Object.entries(current)) {
      const field = Array.isArray(current) ? `${path}[${name}]` : path ? `${path}.${name}` : name;
      if (!Array.isArray(current) && RESERVED_MEMBERS.has(name)) errors.push({ field, message: `property ${name} should not exist` });
      else pending.push({ value: member, path: field, depth: depth + 1 });
    }
  }
  return errors;
}

function refuse(errors: ValidationError[], prefix: string, detail: string): never {
  const fields = fieldErrors(errors, prefix);
  if (hasConstraint(errors, NESTING_CONSTRAINT)) {
    const error = tooDeeplyNested('a signed document');
    error.errors.push(...fields);
    throw error;
  }
  throw invalid('validation-failed', detail, fields);
}

const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** The global pipe: reserved member names are refused before class-transformer gets to drop them. */
class ExchangeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const reserved = reservedMemberErrors(value);
      if (reserved.length > 0) throw invalid('validation-failed', 'the request is not valid', reserved);
    }
    return super.transform(value, metadata);
  }
}

/** Body and query validation at the edge: class-validator, unknown fields refused, 400 with field errors. */
export function validationPipe(): ValidationPipe {
  return new ExchangeValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => refuse(errors, '', 'the request is not valid'),
  });
}

/** Validates a plain object (for example a signed payload) against a DTO class; field names get `prefix`. */
export function validatePlain<T extends object>(cls: ClassConstructor<T>, plain: unknown, prefix: string): T {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw invalid('validation-failed', `${prefix} must be a JSON object`, [{ field: prefix, message: 'must be an object' }]);
  const reserved = reservedMemberErrors(plain, prefix);
  if (reserved.length > 0) throw invalid('validation-failed', `${prefix} is not valid`, reserved);
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) refuse(errors, prefix, `${prefix} is not valid`);
  return plain as T;
}
