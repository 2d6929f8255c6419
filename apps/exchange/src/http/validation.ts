import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { invalid, type FieldError } from '@exchange/domain';

export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Body and query validation at the edge: class-validator, unknown fields refused, 400 with field errors. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => invalid('validation-failed', 'the request is not valid', fieldErrors(errors)),
  });
}

/** Validates a plain object (for example a signed payload) against a DTO class; field names get `prefix`. */
export function validatePlain<T extends object>(cls: ClassConstructor<T>, plain: unknown, prefix: string): T {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw invalid('validation-failed', `${prefix} must be a JSON object`, [{ field: prefix, message: 'must be an object' }]);
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw invalid('validation-failed', `${prefix} is not valid`, fieldErrors(errors, prefix));
  return plain as T;
}
