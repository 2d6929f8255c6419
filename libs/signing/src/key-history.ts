import { KeyHistoryError } from './errors';
import { jwksProblem, normalizePublicJwk, sameKeyMaterial, type JsonWebKeySet, type PublicJwk } from './jwk';

/**
 * One period during which a participant key was registered. `validUntil` is absent while the key
 * is current. Times are RFC 3339; a key is valid at `at` when validFrom <= at < validUntil.
 */
export interface KeyRecord {
  kid: string;
  jwk: PublicJwk;
  validFrom: string;
  validUntil?: string;
}

export type KeyHistory = readonly KeyRecord[];

const RFC3339_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of an RFC 3339 date-time; throws `invalid-time` otherwise. */
export function instantOf(at: string | Date): number {
  const millis = at instanceof Date ? at.getTime() : parseRfc3339(at);
  if (Number.isNaN(millis)) throw new KeyHistoryError('invalid-time', `not an RFC 3339 date-time: ${String(at)}`);
  return millis;
}

/** Date.parse alone would roll 2025-02-30 over to March and accept 24:00. */
function parseRfc3339(text: unknown): number {
  const match = typeof text === 'string' ? RFC3339_DATE_TIME.exec(text) : null;
  if (!match) return NaN;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const isRealDay = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  const isRealTime = hour <= 23 && minute <= 59 && second <= 59;
  const isRealOffset = match[9] === undefined || (Number(match[9]) <= 23 && Number(match[10]) <= 59);
  return isRealDay && isRealTime && isRealOffset ? Date.parse(text as string) : NaN;
}

export function currentKeys(history: KeyHistory): KeyRecord[] {
  return history.filter((record) => record.validUntil === undefined);
}

export function retiredKeys(history: KeyHistory): KeyRecord[] {
  return history.filter((record) => record.validUntil !== undefined);
}

/** The record of `kid` that was valid at instant `at`, if any. */
export function keyValidAt(history: KeyHistory, kid: string, at: string | Date): KeyRecord | undefined {
  const instant = instantOf(at);
  return history.find(
    (record) =>
      record.kid === kid && instantOf(record.validFrom) <= instant && (record.validUntil === undefined || instant < instantOf(record.validUntil)),
  );
}

/** A `resolveKey` for verifyDocumentJws: kids resolve to the keys that were valid at `at`. */
export function keyResolverAt(history: KeyHistory, at: string | Date): (kid: string) => PublicJwk | undefined {
  return (kid) => keyValidAt(history, kid, at)?.jwk;
}

/**
 * The history after the organization registers (or rotates to) `jwks` at `at`: current keys absent
 * from the set are retired at `at`, keys still in the set keep their record, new kids start at `at`.
 * A kid may come back after retirement only with the same key material.
 */
export function applyKeySet(history: KeyHistory, jwks: unknown, at: string): KeyRecord[] {
  const instant = instantOf(at);
  const problem = jwksProblem(jwks);
  if (problem) throw new KeyHistoryError('invalid-jwks', problem);
  if (instant < latestInstantOf(history)) {
    throw new KeyHistoryError('time-went-backwards', `a key set applied at ${at} predates the key history`);
  }
  const keys = (jwks as JsonWebKeySet).keys.map(normalizePublicJwk);
  for (const key of keys) assertKidNotReused(history, key);

  const newKids = new Set(keys.map((key) => key.kid));
  const currentKids = new Set(currentKeys(history).map((record) => record.kid));
  const updated = history.map((record) => (record.validUntil === undefined && !newKids.has(record.kid) ? { ...record, validUntil: at } : record));
  const added = keys.filter((key) => !currentKids.has(key.kid)).map((key): KeyRecord => ({ kid: key.kid, jwk: key, validFrom: at }));
  return [...updated, ...added];
}

function assertKidNotReused(history: KeyHistory, key: PublicJwk): void {
  const conflicting = history.find((record) => record.kid === key.kid && !sameKeyMaterial(record.jwk, key));
  if (conflicting) {
    throw new KeyHistoryError('kid-reused', `kid "${key.kid}" was already registered with different key material`);
  }
}

function latestInstantOf(history: KeyHistory): number {
  const instants = history.flatMap((record) => (record.validUntil === undefined ? [record.validFrom] : [record.validFrom, record.validUntil]));
  return Math.max(-Infinity, ...instants.map((instant) => instantOf(instant)));
}
