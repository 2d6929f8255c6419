import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { canonicalSha256, conflict, invalid } from '@exchange/domain';
import { at, onceContext, RecordedAtAnotherTime, requestContext, type CommandContext } from '@exchange/commands';
import { Clock } from '../infrastructure/clock';
import { IdempotencyStore } from '../infrastructure/idempotency-store';
import type { Caller } from './caller';
import { clientCredentialsOf } from './client-credentials';
import { setWriteContext } from './write-context';

const KEY_SYNTAX = /^[\x21-\x7e]{1,255}$/;
const READ_ONLY_POST = 'idempotency:read-only-post';
const SECRET_ANSWER = 'idempotency:secret-answer';

/**
 * Marks a POST that only reads (reproduce, preview): it changes nothing, so there is nothing to
 * deduplicate, and a stored answer must not outlive the caller's access (replaying it after a
 * grant was revoked would be a read without a grant). Every such call reads anew under the access
 * in force then, and is audited; an Idempotency-Key on it is accepted and ignored.
 */
export const ReadOnlyPost = () => SetMetadata(READ_ONLY_POST, true);

/**
 * Marks a POST whose answer holds a secret given once (a client secret, an access token): the
 * answer is not kept, so a replay of its Idempotency-Key gets 409 idempotency-key-already-applied
 * and causes nothing, rather than the secret read back from storage.
 */
export const SecretAnswer = () => SetMetadata(SECRET_ANSWER, true);

/**
 * Gives every request the CommandContext its commands run with (see WriteContext), at one instant.
 *
 * `Idempotency-Key` on POST, scoped to the caller (see callerScope): the same key and body get the stored answer and
 * cause no second event; the same key with another body is a 409. Concurrent requests with one
 * key are serialized, so only the first one executes.
 *
 * The answer is stored after the events are appended, so a crash (or a failing answer store) in
 * between leaves events without a stored answer. That is safe because the request's commands run
 * with a CommandContext named after the key: executing it again finds their events instead of
 * deciding again (see @exchange/commands), and is repeated once with the recorded time, so that
 * the answer rebuilt from the record is the one the first execution gave (same receipt bytes).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller; commandContext?: CommandContext }>();
    const key = request.header('idempotency-key');
    const now = this.clock.now();
    if (request.method !== 'POST' || key === undefined || this.reflector.get<boolean>(READ_ONLY_POST, context.getHandler())) {
      setWriteContext(request, onceContext(now));
      return next.handle();
    }
    if (!KEY_SYNTAX.test(key)) throw invalid('invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    const scopeKey = `${callerScope(request)}\n${key}`;
    const requestSha256 = canonicalSha256({ method: request.method, path: request.originalUrl, body: request.body ?? null });
    const response = context.switchToHttp().getResponse<Response>();
    const named = requestContext(scopeKey, requestSha256, now);
    // The handler's arguments are resolved inside next.handle(): each execution sees the context set before it.
    const execute = (recordedAt?: string) => {
      setWriteContext(request, recordedAt === undefined ? named : at(named, recordedAt));
      return lastValueFrom(next.handle(), { defaultValue: undefined });
    };
    const secret = this.reflector.get<boolean>(SECRET_ANSWER, context.getHandler()) ?? false;
    return from(this.serialize(scopeKey, () => this.once(scopeKey, requestSha256, response, execute, secret)));
  }

  private async once(
    scopeKey: string,
    requestSha256: string,
    response: Response,
    execute: (at?: string) => Promise<unknown>,
    secret: boolean,
  ): Promise<unknown> {
    const stored = this.store.get(scopeKey);
    if (stored) {
      if (stored.requestSha256 !== requestSha256)
        throw conflict('idempotency-key-reused', 'this Idempotency-Key was already used with another request');
      if (!('body' in stored)) throw alreadyApplied();
      response.status(stored.status).setHeader('Idempotent-Replayed', 'true');
      return stored.body;
    }
    let body: unknown;
    try {
      body = await execute();
    } catch (error) {
      if (!(error instanceof RecordedAtAnotherTime)) throw error;
      // Applied before, its answer lost: rebuild it with the time the events recorded.
      body = await execute(error.at).catch((again: unknown) => {
        throw again instanceof RecordedAtAnotherTime ? alreadyApplied() : again;
      });
      response.setHeader('Idempotent-Replayed', 'true');
    }
    this.store.put(
      scopeKey,
      secret ? { requestSha256, status: response.statusCode } : { requestSha256, status: response.statusCode, body: body ?? null },
    );
    return body;
  }

  private async serialize<T>(scopeKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(scopeKey) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    this.inFlight.set(scopeKey, current);
    try {
      return await current;
    } finally {
      if (this.inFlight.get(scopeKey) === current) this.inFlight.delete(scopeKey);
    }
  }
}

const alreadyApplied = () =>
  conflict('idempotency-key-already-applied', 'the request with this Idempotency-Key was already applied, but its answer cannot be given again');

/**
 * Whose keys a request's key is among: the authenticated caller's, or, on the token endpoint (no
 * caller yet), the client's whose credentials it presents. The secret is part of that scope (as a
 * hash), so that who sends a client id with a wrong secret shares no keys with the client and cannot
 * learn from a 409 which keys it used.
 */
function callerScope(request: Request & { caller?: Caller }): string {
  const { caller } = request;
  if (caller) return caller.kind === 'operator' ? 'operator' : `org:${caller.orgId}`;
  const client = clientCredentialsOf(request.header('authorization'), request.body);
  return client.id === undefined ? 'anonymous' : `client:${client.id}:${canonicalSha256({ id: client.id, secret: client.secret ?? null })}`;
}
