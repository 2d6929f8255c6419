import Database from 'better-sqlite3';
import { ConcurrencyError, StoreUnavailableError } from '../event-store.port';
import { isTransient, translateAppendError, translateSqliteError } from './sqlite-errors';

const sqliteError = (code: string) => new Database.SqliteError(`failed with ${code}`, code);

describe('SQLite error translation', () => {
  it.each(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR', 'SQLITE_IOERR_FSYNC', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'])(
    '%s means the store is unavailable',
    (code) => {
      const cause = sqliteError(code);
      const translated = translateSqliteError(cause, 'append');
      expect(translated).toBeInstanceOf(StoreUnavailableError);
      expect((translated as StoreUnavailableError).cause).toBe(cause);
    },
  );

  it('a closed connection means the store is unavailable', () => {
    expect(translateSqliteError(new TypeError('The database connection is not open'), 'read')).toBeInstanceOf(StoreUnavailableError);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])('%s while appending is a lost race', (code) => {
    const translated = translateAppendError(sqliteError(code), 'stream-1', 3, () => 4);
    expect(translated).toBeInstanceOf(ConcurrencyError);
    expect(translated).toMatchObject({ streamId: 'stream-1', expected: 3, actual: 4 });
  });

  it('leaves other errors unchanged', () => {
    const other = sqliteError('SQLITE_CONSTRAINT_CHECK');
    expect(translateSqliteError(other, 'append')).toBe(other);
    expect(translateAppendError(other, 'stream-1', 'any', () => 'no-stream')).toBe(other);
  });

  it.each(['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_BUSY'])(
    '%s passes (a subscription retries it)',
    (code) => {
      expect(isTransient(sqliteError(code))).toBe(true);
    },
  );

  it.each(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_CONSTRAINT_UNIQUE'])('%s does not pass by itself', (code) => {
    expect(isTransient(sqliteError(code))).toBe(false);
  });

  it('a closed connection does not pass by itself', () => {
    expect(isTransient(new TypeError('The database connection is not open'))).toBe(false);
  });
});
