import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../event-store.port';
import { SqliteKeyedRecords } from './sqlite-keyed-records';

describe('SqliteKeyedRecords', () => {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'keyed-records-'))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps the first record of a key, durably across a reopen, in an owner-only file', () => {
    const path = join(directory, 'records.sqlite');
    const records = SqliteKeyedRecords.open<{ status: number }>(path, 'answers_kept');
    records.putFirst('a', { status: 201 });
    records.putFirst('a', { status: 409 });
    records.close();
    const reopened = SqliteKeyedRecords.open<{ status: number }>(path, 'answers_kept');
    expect(reopened.get('a')).toEqual({ status: 201 });
    expect(reopened.has('b')).toBe(false);
    reopened.close();
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('keeps tables of one file apart', () => {
    const path = join(directory, 'records.sqlite');
    const first = SqliteKeyedRecords.open<number>(path, 'first');
    const second = SqliteKeyedRecords.open<number>(path, 'second');
    first.putFirst('k', 1);
    expect(second.get('k')).toBeUndefined();
    first.close();
    second.close();
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => SqliteKeyedRecords.open(join(directory, 'x.sqlite'), 'x; DROP TABLE y')).toThrow(/not a table name/);
  });

  it('translates a closed store into StoreUnavailableError', () => {
    const records = SqliteKeyedRecords.open<number>(join(directory, 'closed.sqlite'), 'marks');
    records.close();
    expect(() => records.putFirst('k', 1)).toThrow(StoreUnavailableError);
  });
});
