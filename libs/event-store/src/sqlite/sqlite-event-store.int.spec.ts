import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConcurrencyError, StoreUnavailableError, StoredEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';
import { waitUntil } from '@exchange/testing';
import { newEvents, newStreamId, RecordingSubscriber } from '../testing/contract-helpers';
import { describeEventStoreContract } from '../testing/event-store.contract';

const REPO_ROOT = resolve(__dirname, '../../../..');
const WORKER = join(__dirname, '..', 'testing', 'sqlite-worker.ts');
const BATCH_SIZE = 3;
const RUNNING_AS_ROOT = process.getuid?.() === 0;

const temporaryDirectories: string[] = [];
function newDatabasePath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'event-store-'));
  temporaryDirectories.push(directory);
  return join(directory, 'nested', 'events.sqlite');
}
afterAll(() => temporaryDirectories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describeEventStoreContract('SQLite', async () => {
  const filePath = newDatabasePath();
  let current = SqliteEventStore.open(filePath);
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = SqliteEventStore.open(filePath);
      return current;
    },
    cleanup: () => current.close(),
  };
});

interface Worker {
  child: ChildProcess;
  /** Parsed stdout lines, filled as they arrive. */
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', WORKER, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString('utf8')).split('\n');
    pending = parts.pop()!; // an unterminated line was cut by the kill: it was not acknowledged
    lines.push(...parts.map((line) => JSON.parse(line) as Record<string, unknown>));
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, lines, exited };
}

function groupByBatch(events: StoredEvent[]): Map<number, StoredEvent[]> {
  const batches = new Map<number, StoredEvent[]>();
  for (const event of events) {
    const batch = (event.data as { batch: number }).batch;
    batches.set(batch, [...(batches.get(batch) ?? []), event]);
  }
  return batches;
}

describe('SqliteEventStore', () => {
  it('open() creates the parent directory and a WAL-mode database with the schema', async () => {
    const filePath = newDatabasePath();
    await SqliteEventStore.open(filePath).close();

    const db = new Database(filePath, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    const journalMode = db.pragma('journal_mode', { simple: true });
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['checkpoints', 'events']));
    expect(journalMode).toBe('wal');
  });

  describe('a process killed mid-way (SIGKILL)', () => {
    it('keeps every acknowledged batch exactly once, with no gaps and no half-written batch', async () => {
      const filePath = newDatabasePath();
      const worker = startWorker(['batches', filePath]);
      try {
        await waitUntil(() => worker.lines.length >= 150, 'the worker acknowledged 150 batches', 30_000);
      } finally {
        worker.child.kill('SIGKILL');
      }
      expect(await worker.exited).toBeNull();

      const store = SqliteEventStore.open(filePath);
      const stored = await store.readAll();
      await store.close();

      expect(stored.map((event) => event.position)).toEqual(stored.map((_, index) => BigInt(index + 1)));
      expect(new Set(stored.map((event) => event.id)).size).toBe(stored.length);
      const batches = groupByBatch(stored);
      expect([...batches.keys()]).toEqual([...Array(batches.size).keys()]);
      for (const events of batches.values()) {
        expect(events).toHaveLength(BATCH_SIZE);
        expect(events.map((event) => Number(event.position - events[0]!.position))).toEqual([0, 1, 2]);
      }
      for (const acknowledged of worker.lines) {
        const events = batches.get(acknowledged.batch as number);
        expect(events?.map((event) => event.id)).toEqual(acknowledged.ids);
        expect(events?.[BATCH_SIZE - 1]!.position.toString()).toBe(acknowledged.position);
      }
    });
  });

  describe('a store that cannot take writes', () => {
    async function seededDatabase(): Promise<{ filePath: string; streamId: string }> {
      const filePath = newDatabasePath();
      const streamId = newStreamId();
      const store = SqliteEventStore.open(filePath);
      await store.appendToStream(streamId, newEvents(2));
      await store.close();
      return { filePath, streamId };
    }

    async function expectReadsWorkButAppendsAreUnavailable(store: SqliteEventStore, streamId: string): Promise<void> {
      expect(await store.readStream(streamId)).toHaveLength(2);
      expect((await store.readStreams([streamId])).get(streamId)).toHaveLength(2);
      expect(await store.headPosition()).toBe(2n);
      await expect(store.appendToStream(streamId, newEvents(1))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.readStream(streamId)).toHaveLength(2);
    }

    it('opened read-only: reads work, appends and checkpoints fail with StoreUnavailableError', async () => {
      const { filePath, streamId } = await seededDatabase();
      const store = SqliteEventStore.open(filePath, { readonly: true });
      try {
        await expectReadsWorkButAppendsAreUnavailable(store, streamId);
        const subscriber = await new RecordingSubscriber('read-only').start(store);
        await waitUntil(() => subscriber.errors.length > 0, 'the checkpoint write fails');
        expect(subscriber.errors[0]!.error).toBeInstanceOf(StoreUnavailableError);
      } finally {
        await store.close();
      }
    });

    (RUNNING_AS_ROOT ? it.skip : it)('on a read-only file (chmod; root ignores it)', async () => {
      const { filePath, streamId } = await seededDatabase();
      chmodSync(filePath, 0o444);
      const store = SqliteEventStore.open(filePath);
      try {
        await expectReadsWorkButAppendsAreUnavailable(store, streamId);
      } finally {
        await store.close();
        chmodSync(filePath, 0o644);
      }
    });

    it('cannot open a missing file read-only', () => {
      expect(() => SqliteEventStore.open(newDatabasePath(), { readonly: true })).toThrow(StoreUnavailableError);
    });

    it('after close(): every operation fails with StoreUnavailableError', async () => {
      const { filePath, streamId } = await seededDatabase();
      const store = SqliteEventStore.open(filePath);
      await store.close();
      await store.close();
      await expect(store.appendToStream(streamId, newEvents(1))).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readStream(streamId)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readStreams([streamId])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });

  describe('concurrent appends with the same expected revision', () => {
    it('exactly one wins, on one instance or across two connections', async () => {
      const filePath = newDatabasePath();
      const stores = [SqliteEventStore.open(filePath), SqliteEventStore.open(filePath)];
      const streamId = newStreamId();
      await stores[0]!.appendToStream(streamId, newEvents(1));

      const attempts = Array.from({ length: 10 }, (_, index) => stores[index % 2]!.appendToStream(streamId, newEvents(1), 0));
      const outcomes = await Promise.allSettled(attempts);
      await Promise.all(stores.map((store) => store.close()));

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refusals = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      refusals.forEach((refusal) => expect(refusal.reason).toBeInstanceOf(ConcurrencyError));
    });

    it('exactly one of several processes wins each stream', async () => {
      const filePath = newDatabasePath();
      const streamCount = 100;
      const seed = SqliteEventStore.open(filePath);
      for (let stream = 0; stream < streamCount; stream++) {
        await seed.appendToStream(`race-${stream}`, [{ id: randomUUID(), type: 'RaceStarted', data: {} }]);
      }
      await seed.close();

      const workers = Array.from({ length: 4 }, () => startWorker(['race', filePath, String(streamCount)]));
      expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0, 0, 0]);

      const wins = workers.flatMap((worker) => worker.lines).filter((line) => line.won);
      expect(wins.map((line) => line.streamId).sort()).toEqual(Array.from({ length: streamCount }, (_, stream) => `race-${stream}`).sort());
      const db = new Database(filePath, { readonly: true });
      const counts = db.prepare('SELECT COUNT(*) AS n FROM events GROUP BY stream_id').all() as { n: number }[];
      db.close();
      expect(counts.every((row) => row.n === 2)).toBe(true);
    });
  });
});
