import { Injectable } from '@nestjs/common';
import { currentIdempotentRequest } from './idempotency-context';

/**
 * The time the exchange stamps on facts: RFC 3339 UTC with milliseconds. Within a POST carrying an
 * Idempotency-Key it is the request's one time (fixed at the first read, or the time recorded by an
 * earlier execution when the request is replayed), so that a replay rebuilds the same facts.
 */
@Injectable()
export class Clock {
  now(): string {
    const request = currentIdempotentRequest();
    if (!request) return new Date().toISOString();
    return (request.at ??= new Date().toISOString());
  }
}

/** Normalizes an accepted RFC 3339 date-time to the one form facts are stored in. */
export const toUtc = (dateTime: string) => new Date(dateTime).toISOString();
