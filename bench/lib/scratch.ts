import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EMBEDDED_EVENTS_FILE } from '@exchange/synthetic';

/** A fresh directory on the real disk (what the exchange's DATA_DIR is in every figure). */
export function diskTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
}

/**
 * A fresh directory in RAM (/dev/shm) where available, else on disk. Large synthetic histories are
 * written there first (an fsync in tmpfs costs nothing), then copied to the disk: the copy is the
 * history the exchange serves, on the real disk.
 */
export function fastScratchDir(prefix: string): string {
  const shm = '/dev/shm';
  if (existsSync(shm)) {
    try {
      return mkdtempSync(join(shm, `bench-${prefix}-`));
    } catch {
      // not writable: fall through
    }
  }
  return diskTempDir(prefix);
}

/** Copies a closed embedded store (events.sqlite, WAL checkpointed on close) into a data directory. */
export function copyStore(fromDataDir: string, toDataDir: string): void {
  mkdirSync(toDataDir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    const from = join(fromDataDir, EMBEDDED_EVENTS_FILE + suffix);
    if (existsSync(from)) copyFileSync(from, join(toDataDir, EMBEDDED_EVENTS_FILE + suffix));
  }
}

/**
 * Stores the checkpoints of the exchange's in-process workers (reactions `reactors`, relay `relay`)
 * at the head of a prewritten history, as they stand on an exchange that recorded that history
 * itself (a restart then only folds the read model). Without this, the first start re-delivers
 * every event to both workers (see the `workers-catch-up` figure). The `checkpoints` table is the
 * embedded adapter's documented schema (libs/event-store/README.md).
 */
export function markWorkersCaughtUp(dataDir: string): bigint {
  const db = new Database(join(dataDir, EMBEDDED_EVENTS_FILE));
  try {
    db.defaultSafeIntegers(true);
    const head = (db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: bigint }).head;
    const upsert = db.prepare('INSERT INTO checkpoints (id, position) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position');
    for (const id of ['reactors', 'relay']) upsert.run(id, head);
    return head;
  } finally {
    db.close();
  }
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
