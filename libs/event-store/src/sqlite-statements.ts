import Database from 'better-sqlite3';
import { StoredEvent } from './event-store.port';

/** A row of `events` as read with safe integers (INTEGER columns come back as bigint). */
interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export interface StoredIdRow {
  stream_id: string;
  revision: bigint;
  position: bigint;
}

export interface EventInsert {
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  dataJson: string;
  metadataJson: string;
  recordedAt: string;
}

/** SQLite reads LIMIT -1 as "no limit". */
const NO_LIMIT = -1;

/** The prepared SQL of the SQLite adapter, with rows mapped to the port's shapes. */
export class SqliteStatements {
  private readonly lastRevisionQuery: Database.Statement<[string]>;
  private readonly storedIdQuery: Database.Statement<[string]>;
  private readonly insertEvent: Database.Statement<unknown[]>;
  private readonly streamQuery: Database.Statement<[string, number, number]>;
  private readonly allQuery: Database.Statement<[bigint, number]>;
  private readonly headQuery: Database.Statement<[]>;
  private readonly checkpointQuery: Database.Statement<[string]>;
  private readonly checkpointUpsert: Database.Statement<[string, bigint]>;

  constructor(db: Database.Database) {
    this.lastRevisionQuery = db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?');
    this.storedIdQuery = db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
    this.insertEvent = db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.streamQuery = db.prepare(
      'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.allQuery = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.headQuery = db.prepare('SELECT COALESCE(MAX(position), 0) AS position FROM events');
    this.checkpointQuery = db.prepare('SELECT position FROM checkpoints WHERE id = ?');
    this.checkpointUpsert = db.prepare(
      `INSERT INTO checkpoints (id, position) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position`,
    );
  }

  lastRevision(streamId: string): number | 'no-stream' {
    const row = this.lastRevisionQuery.get(streamId) as { revision: bigint | null };
    return row.revision === null ? 'no-stream' : Number(row.revision);
  }

  storedId(eventId: string): StoredIdRow | undefined {
    return this.storedIdQuery.get(eventId) as StoredIdRow | undefined;
  }

  /** Returns the global position SQLite assigned. */
  insert(event: EventInsert): bigint {
    const { streamId, revision, eventId, type, dataJson, metadataJson, recordedAt } = event;
    const result = this.insertEvent.run(streamId, revision, eventId, type, dataJson, metadataJson, recordedAt);
    return BigInt(result.lastInsertRowid);
  }

  readStream(streamId: string, fromRevision: number, maxCount: number | undefined): StoredEvent[] {
    const rows = this.streamQuery.all(streamId, fromRevision, maxCount ?? NO_LIMIT) as EventRow[];
    return rows.map(toStoredEvent);
  }

  readAll(after: bigint, maxCount: number | undefined): StoredEvent[] {
    const rows = this.allQuery.all(after, maxCount ?? NO_LIMIT) as EventRow[];
    return rows.map(toStoredEvent);
  }

  headPosition(): bigint {
    return (this.headQuery.get() as { position: bigint }).position;
  }

  checkpoint(checkpointId: string): bigint {
    const row = this.checkpointQuery.get(checkpointId) as { position: bigint } | undefined;
    return row?.position ?? 0n;
  }

  saveCheckpoint(checkpointId: string, position: bigint): void {
    this.checkpointUpsert.run(checkpointId, position);
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    recordedAt: row.recorded_at,
  };
}
