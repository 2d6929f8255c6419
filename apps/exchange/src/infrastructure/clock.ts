import { Injectable } from '@nestjs/common';

/** The time the exchange stamps on facts: RFC 3339 UTC with milliseconds. */
@Injectable()
export class Clock {
  now(): string {
    return new Date().toISOString();
  }
}

/** Normalizes an accepted RFC 3339 date-time to the one form facts are stored in. */
export const toUtc = (dateTime: string) => new Date(dateTime).toISOString();
