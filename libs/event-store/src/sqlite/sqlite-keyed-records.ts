import Database from 'better-sqlite3';
import { createOwnerOnlyFile } from './owner-only-file';
import { guarded } from './sqlite-errors';

const TABLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A durable write-once map from a key to a JSON value, for records that can be rebuilt from the
 * events if a power cut loses the last few (answers kept for replays, marks of handled messages):
 * they are committed without an fsync each. The first record of a key is kept; later ones are ignored.
 */
export class SqliteKeyedRecords<Value> {
  private readonly getStatement: Database.Statement<[string], { value: string }>;
  private readonly putStatement: Database.Statement<[string, string, string]>;

  private constructor(
    private readonly db: Database.Database,
    table: string,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, stored_at TEXT NOT NULL)`);
    this.getStatement = db.prepare(`SELECT value FROM ${table} WHERE key = ?`);
    this.putStatement = db.prepare(`INSERT OR IGNORE INTO ${table} (key, value, stored_at) VALUES (?, ?, ?)`);
  }

  static open<Value>(path: string, table: string): SqliteKeyedRecords<Value> {
    if (!TABLE_NAME.test(table)) throw new Error(`not a table name: ${table}`);
    return guarded(`opening ${path}`, () => {
      createOwnerOnlyFile(path);
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      return new SqliteKeyedRecords<Value>(db, table);
    });
  }

  get(key: string): Value | undefined {
    const row = guarded('reading a record', () => this.getStatement.get(key));
    return row && (JSON.parse(row.value) as Value);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Keeps `value` unless the key already has a record. */
  putFirst(key: string, value: Value): void {
    guarded('storing a record', () => this.putStatement.run(key, JSON.stringify(value), new Date().toISOString()));
  }

  close(): void {
    this.db.close();
  }
}
