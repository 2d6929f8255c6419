import { ConcurrencyError, ExpectedRevision, StoreUnavailableError } from '../event-store.port';

/** SQLite result codes (extended codes share the prefix) meaning the store cannot serve now. */
const UNAVAILABLE_CODE_PREFIXES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];
const UNIQUE_VIOLATION_CODES = ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'];
/** better-sqlite3 throws plain TypeErrors with these messages (no SQLite code). */
const UNAVAILABLE_MESSAGES = ['database connection is not open', 'Cannot open database because the directory does not exist'];

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isUnavailable(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code && UNAVAILABLE_CODE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  const message = messageOf(error);
  return UNAVAILABLE_MESSAGES.some((unavailable) => message.includes(unavailable));
}

/** Duck-typed: errors from the native addon may come from another realm (e.g. under jest). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Unavailable for a while rather than for good: the disk is full, a write or read failed, another
 * connection held the lock. A read-only file, a file that cannot be opened or a closed connection
 * stay that way until someone acts, so they are not transient.
 */
const TRANSIENT_CODE_PREFIXES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY'];

export function isTransient(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && TRANSIENT_CODE_PREFIXES.some((prefix) => code.startsWith(prefix));
}

export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && UNIQUE_VIOLATION_CODES.includes(code);
}

/** Maps infrastructure failures to the port's errors; anything else is rethrown unchanged. */
export function translateSqliteError(error: unknown, operation: string): unknown {
  if (isUnavailable(error)) {
    return new StoreUnavailableError(`event store unavailable during ${operation}: ${messageOf(error)}`, error);
  }
  return error;
}

/** A unique violation while appending means another writer took the revision (or id) first. */
export function translateAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
  readActualRevision: () => number | 'no-stream',
): unknown {
  if (isUniqueViolation(error)) return new ConcurrencyError(streamId, expected, readActualRevision());
  return translateSqliteError(error, `append to ${streamId}`);
}

/** Runs a synchronous store operation, translating what it throws. */
export function guarded<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translateSqliteError(error, operation);
  }
}
