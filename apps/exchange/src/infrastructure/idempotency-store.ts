import Database from 'better-sqlite3';
import { StoreUnavailableError } from '@exchange/event-store';
import { createOwnerOnlyFile } from '@exchange/event-store/sqlite';

export interface StoredResponse {
  requestSha256: string;
  status: number;
  /** Absent when the answer held a one-time secret and was deliberately not kept. */
  body?: unknown;
}

/**
 * Answers given to POSTs with an Idempotency-Key, kept durably so a replay gets the same answer.
 * An answer holding a secret (a client secret, an access token) is recorded without its body.
 */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;

  constructor(path: string) {
    createOwnerOnlyFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // No fsync per answer: a stored answer lost to a power cut is rebuilt from the events, which are
    // named after the Idempotency-Key and committed durably (see EventRecorder).
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS answers (scope_key TEXT PRIMARY KEY, request_sha256 TEXT NOT NULL, status INTEGER NOT NULL, body TEXT, stored_at TEXT NOT NULL)',
    );
    this.getStmt = this.db.prepare('SELECT request_sha256, status, body FROM answers WHERE scope_key = ?');
    this.putStmt = this.db.prepare('INSERT OR IGNORE INTO answers (scope_key, request_sha256, status, body, stored_at) VALUES (?, ?, ?, ?, ?)');
  }

  get(scopeKey: string): StoredResponse | undefined {
    const row = this.getStmt.get(scopeKey) as { request_sha256: string; status: number; body: string | null } | undefined;
    return row && { requestSha256: row.request_sha256, status: row.status, ...(row.body !== null && { body: JSON.parse(row.body) }) };
  }

  put(scopeKey: string, response: StoredResponse): void {
    try {
      this.putStmt.run(
        scopeKey,
        response.requestSha256,
        response.status,
        'body' in response ? JSON.stringify(response.body ?? null) : null,
        new Date().toISOString(),
      );
    } catch (error) {
      throw new StoreUnavailableError('could not store the idempotent response', error);
    }
  }

  close(): void {
    this.db.close();
  }
}
