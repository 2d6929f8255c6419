/**
 * The domain's refusals. `kind` says what went wrong in the caller's terms; the HTTP layer maps
 * kinds to status codes in one place. `code` is a stable kebab-case name that clients may switch on.
 */
export type DomainErrorKind =
  | 'invalid' // the command is malformed for the domain (400)
  | 'unauthenticated' // no or bad credentials (401)
  | 'forbidden' // the caller may not do this at all (403)
  | 'not-found' // unknown, or not visible to the caller (404)
  | 'conflict' // concurrent change or duplicate (409)
  | 'unprocessable' // a signature, hash or aggregation check failed (422)
  | 'unavailable'; // the exchange cannot take writes now (503)

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, errors: FieldError[] = []) => new DomainError('invalid', code, message, {}, errors);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) => new DomainError('conflict', code, message, extra);
export const unprocessable = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new DomainError('unprocessable', code, message, extra);
