import { Injectable } from '@nestjs/common';

/**
 * The time queries decide at (grants in force, audit records of reads): RFC 3339 UTC with
 * milliseconds. Commands take theirs from their CommandContext instead.
 */
@Injectable()
export class Clock {
  now(): string {
    return new Date().toISOString();
  }
}

/** Normalizes an accepted RFC 3339 date-time to the one form facts are stored in. */
export const toUtc = (dateTime: string) => new Date(dateTime).toISOString();
