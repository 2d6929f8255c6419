import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { canonicalSha256, conflict, invalid } from '@exchange/domain';
import { IdempotencyStore } from '../infrastructure/idempotency-store';
import type { Caller } from './caller';

const KEY_SYNTAX = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST, scoped to the caller: the same key and body get the stored answer and
 * cause no second event; the same key with another body is a 409. Concurrent requests with one
 * key are serialized, so only the first one executes.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const key = request.header('idempotency-key');
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (!KEY_SYNTAX.test(key)) throw invalid('invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    const scopeKey = `${callerScope(request.caller)}\n${key}`;
    const requestSha256 = canonicalSha256({ method: request.method, path: request.originalUrl, body: request.body ?? null });
    const response = context.switchToHttp().getResponse<Response>();
    return from(this.serialize(scopeKey, () => this.once(scopeKey, requestSha256, response, () => lastValueFrom(next.handle(), { defaultValue: undefined }))));
  }

  private async once(scopeKey: string, requestSha256: string, response: Response, execute: () => Promise<unknown>): Promise<unknown> {
    const stored = this.store.get(scopeKey);
    if (stored) {
      if (stored.requestSha256 !== requestSha256) throw conflict('idempotency-key-reused', 'this Idempotency-Key was already used with another request');
      response.status(stored.status).setHeader('Idempotent-Replayed', 'true');
      return stored.body;
    }
    const body = await execute();
    this.store.put(scopeKey, { requestSha256, status: response.statusCode, body: body ?? null });
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

function callerScope(caller: Caller | undefined): string {
  if (!caller) return 'anonymous';
  return caller.kind === 'operator' ? 'operator' : `org:${caller.orgId}`;
}

