import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, type DomainErrorKind, type FieldError } from '@exchange/domain';
import { StoreUnavailableError } from '@exchange/event-store';
import { SignatureError, TokenError } from '@exchange/signing';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  unavailable: 503,
};

export const problemType = (code: string) => `urn:battery-exchange:problem:${code}`;

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: problemType(code), title: HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error', status, detail, code, ...extra };
}

const logger = new Logger('Problem');

/** The one place where every error becomes a problem document. Infrastructure errors arrive translated. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    const extra = error.errors.length > 0 ? { ...error.extra, errors: error.errors } : error.extra;
    return problem(STATUS[error.kind], error.code, error.message, extra);
  }
  if (error instanceof SignatureError) return problem(422, error.code, `signature check failed: ${error.message}`);
  if (error instanceof TokenError) return problem(401, error.code, error.message);
  if (error instanceof StoreUnavailableError)
    return problem(503, 'store-unavailable', 'the exchange cannot record changes right now; reads still work, retry later');
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return problem(status, status === 404 ? 'not-found' : `http-${status}`, detail);
  }
  const bodyError = error as { type?: string; status?: number; message?: string; code?: unknown };
  if (bodyError?.type === 'entity.too.large') return problem(413, 'body-too-large', 'the request body is larger than the exchange accepts');
  if (bodyError?.type === 'parameters.too.many') return problem(413, 'body-too-large', 'the form body has more parameters than the exchange accepts');
  if (bodyError?.type === 'entity.parse.failed') return problem(400, 'malformed-json', 'the request body is not valid JSON');
  if (bodyError?.type === 'charset.unsupported') return problem(415, 'unsupported-media-type', 'the request body must be UTF-8');
  if (bodyError?.type === 'encoding.unsupported')
    return problem(415, 'unsupported-content-encoding', 'the request body may be sent as is, gzip or deflate only');
  if (typeof bodyError?.code === 'string' && bodyError.code.startsWith('Z_'))
    return problem(400, 'malformed-body', 'the request body does not decode with its Content-Encoding');
  if (bodyError?.type === 'request.aborted' || bodyError?.type === 'request.size.invalid')
    return problem(400, 'incomplete-body', 'the request body ended before its announced length');
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500)
    return problem(bodyError.status, 'bad-request', bodyError.message ?? 'bad request');
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'internal-error', 'the exchange failed to handle the request');
}
