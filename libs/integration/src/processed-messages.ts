import Database from 'better-sqlite3';
import { createOwnerOnlyFile } from '@exchange/event-store/sqlite';

/** Which messages a consumer has fully handled, kept durably so a redelivery changes nothing. */
export abstract class ProcessedMessages {
  abstract has(consumer: string, messageId: string): boolean;
  abstract add(consumer: string, messageId: string): void;
  abstract close(): void;
}

export class SqliteProcessedMessages extends ProcessedMessages {
  private readonly db: Database.Database;
  private readonly hasStmt: Database.Statement;
  private readonly addStmt: Database.Statement;

  constructor(path: string) {
    super();
    createOwnerOnlyFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A mark lost to a power cut means one duplicate delivery, which recipients drop by event id: no fsync per mark.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS processed (consumer TEXT NOT NULL, message_id TEXT NOT NULL, PRIMARY KEY (consumer, message_id))');
    this.hasStmt = this.db.prepare('SELECT 1 FROM processed WHERE consumer = ? AND message_id = ?');
    this.addStmt = this.db.prepare('INSERT OR IGNORE INTO processed (consumer, message_id) VALUES (?, ?)');
  }

  has(consumer: string, messageId: string): boolean {
    return this.hasStmt.get(consumer, messageId) !== undefined;
  }

  add(consumer: string, messageId: string): void {
    this.addStmt.run(consumer, messageId);
  }

  close(): void {
    this.db.close();
  }
}
