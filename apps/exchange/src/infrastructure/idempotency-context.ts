import { AsyncLocalStorage } from 'node:async_hooks';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of the ids derived from an idempotent request (its events, the resources it creates). */
const IDEMPOTENT_ID_NAMESPACE = '3f0c2a9e-6d41-5b8a-9c7e-2b5d8f1a4e60';

/**
 * A POST carrying an `Idempotency-Key`, while it executes. Everything it writes is named after the
 * caller's key, so that executing it again (a retry after a crash lost the answer) finds what the
 * first execution recorded instead of deciding again:
 * - its events get ids derived from the key (the store's idempotent append makes a repeat a no-op,
 *   and an id already stored elsewhere is refused), and carry the key's id, the request's hash and
 *   the request's time in their metadata;
 * - the facts it records are stamped with one time, the request's, so a replay can stamp the same;
 * - the ids of resources it creates are derived from the key, so a replay names the same resource.
 */
export interface IdempotentRequest {
  /** uuid v5 of the caller's scope and the key. */
  readonly keyId: string;
  /** Hash of method, path and body: the same key with another request is a conflict. */
  readonly requestSha256: string;
  /** The request's time, fixed at the first read of the clock (or the recorded one on a replay). */
  at?: string;
  /** Counters, so that each write and each new id of one execution gets its own name. */
  executes: number;
  records: Map<string, number>;
  ids: number;
}

/** Recorded in the metadata of every event an idempotent request appends. */
export interface IdempotencyMetadata {
  keyId: string;
  requestSha256: string;
  at: string;
}

const current = new AsyncLocalStorage<IdempotentRequest>();

export function idempotentRequest(scopeKey: string, requestSha256: string, at?: string): IdempotentRequest {
  return {
    keyId: uuidv5(`idempotency-key/${scopeKey}`, IDEMPOTENT_ID_NAMESPACE),
    requestSha256,
    ...(at !== undefined && { at }),
    executes: 0,
    records: new Map(),
    ids: 0,
  };
}

/** Runs `work` (and everything it awaits) as the execution of `request`. */
export function runIdempotent<T>(request: IdempotentRequest, work: () => T): T {
  return current.run(request, work);
}

export function currentIdempotentRequest(): IdempotentRequest | undefined {
  return current.getStore();
}

type Uuid = ReturnType<typeof crypto.randomUUID>;

/** An id derived from the request's key and `parts`: the same on every execution of the request. */
export function idempotentId(request: IdempotentRequest, ...parts: string[]): Uuid {
  return uuidv5([request.keyId, ...parts].join('/'), IDEMPOTENT_ID_NAMESPACE) as Uuid;
}

/**
 * The id of a new resource: derived from the Idempotency-Key inside an idempotent request (so a
 * replay names the same resource), random otherwise.
 */
export function newResourceId(): string {
  const request = current.getStore();
  return request ? idempotentId(request, 'resource', String(request.ids++)) : crypto.randomUUID();
}

/**
 * Thrown by the write path when it finds that this request was already applied at another time:
 * the interceptor executes the request once more with that time, so that the answer it rebuilds
 * (receipts carry the time) is the one the first execution gave.
 */
export class ReplayAtRecordedTime extends Error {
  constructor(readonly at: string) {
    super(`the request was already applied at ${at}`);
  }
}
