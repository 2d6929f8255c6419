import Database from 'better-sqlite3';
import { StoredEvent } from '../event-store.port';

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
  private readonly streamQuery: Database.Statement<[string, number, number], EventTuple>;
  private readonly streamsQuery: Database.Statement<[string], EventTuple>;
  private readonly allQuery: Database.Statement<[bigint, number], EventTuple>;
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
    // Event rows come back as arrays (no object per row): reads may return many thousands of them.
    this.streamQuery = db
      .prepare<[string, number, number], EventTuple>(
        `SELECT ${TUPLE_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw(true);
    // The ids travel as one JSON array: one statement for any number of streams, each found
    // through the (stream_id, revision) index, rows already in that order.
    this.streamsQuery = db
      .prepare<[string], EventTuple>(
        `SELECT ${TUPLE_COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, revision`,
      )
      .raw(true);
    this.allQuery = db
      .prepare<[bigint, number], EventTuple>(`SELECT ${TUPLE_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
      .raw(true);
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
    return this.streamQuery.all(streamId, fromRevision, maxCount ?? NO_LIMIT).map(toStoredEvent);
  }

  /** Every event of the given streams (distinct ids), grouped by stream in revision order. */
  readStreams(streamIds: readonly string[]): Map<string, StoredEvent[]> {
    const result = new Map<string, StoredEvent[]>();
    for (const streamId of streamIds) result.set(streamId, []);
    let current: StoredEvent[] | undefined;
    let currentId: string | undefined;
    for (const row of this.streamsQuery.all(JSON.stringify(streamIds))) {
      const event = toStoredEvent(row);
      if (event.streamId !== currentId) current = result.get((currentId = event.streamId))!;
      current!.push(event);
    }
    return result;
  }

  readAll(after: bigint, maxCount: number | undefined): StoredEvent[] {
    return this.allQuery.all(after, maxCount ?? NO_LIMIT).map(toStoredEvent);
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

/** The columns of `events` in the order of EventTuple (read with safe integers: INTEGER columns come back as bigint). */
const TUPLE_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';
type EventTuple = [
  position: bigint,
  streamId: string,
  revision: bigint,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

function toStoredEvent([position, streamId, revision, eventId, type, data, metadata, recordedAt]: EventTuple): StoredEvent {
  return {
    id: eventId,
    streamId,
    revision: Number(revision),
    position,
    type,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
    recordedAt,
  };
}
