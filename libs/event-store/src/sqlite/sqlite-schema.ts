import Database from 'better-sqlite3';
import { createOwnerOnlyFile } from './owner-only-file';

export interface SqliteOpenOptions {
  /** Opens the file read-only: reads work, appends and checkpoints fail with StoreUnavailableError. */
  readonly?: boolean;
  /** How long a writer waits for another connection's lock before giving up (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * `full` (default): each commit is fsynced before the append is acknowledged, so it survives a
   * power loss. `normal`: commits survive a crash of the process but not of the machine, and a
   * commit costs no fsync (for logs whose writes must not stall the event loop).
   */
  durability?: 'full' | 'normal';
}

/**
 * AUTOINCREMENT keeps positions strictly increasing even if rows were ever removed; the triggers
 * make the log append-only.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL CHECK (revision >= 0),
    event_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TRIGGER IF NOT EXISTS events_are_immutable BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER IF NOT EXISTS events_are_permanent BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TABLE IF NOT EXISTS checkpoints (
    id       TEXT    PRIMARY KEY,
    position INTEGER NOT NULL
  );
`;

/** Opens (creating if needed) a database file set up for durable, crash-safe appends. */
export function openDatabase(filePath: string, options: SqliteOpenOptions = {}): Database.Database {
  if (!options.readonly) createOwnerOnlyFile(filePath);
  const db = new Database(filePath, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) prepareForWrites(db, options.durability ?? 'full');
    db.defaultSafeIntegers(true);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function prepareForWrites(db: Database.Database, durability: 'full' | 'normal'): void {
  db.pragma('journal_mode = WAL');
  // FULL: each commit is fsynced to the WAL before the append is acknowledged (survives power loss).
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec(SCHEMA);
}
