/**
 * A child process for the SQLite adapter's process-level tests, run with
 * `node -r ts-node/register/transpile-only sqlite-worker.ts <mode> <file> [count]`. Prints one JSON
 * line per acknowledged append, so the parent knows exactly what the store promised.
 *   batches: appends batches of 3 events to rotating streams until killed (or `count` batches);
 *   race:    appends one event with expected revision 0 to streams race-0 .. race-<count-1>.
 */
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, NewEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';

const BATCH_SIZE = 3;

function batchOfEvents(batch: number): NewEvent[] {
  return Array.from({ length: BATCH_SIZE }, (_, index) => ({
    id: randomUUID(),
    type: 'CrashTested',
    data: { batch, index },
  }));
}

function acknowledge(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function appendBatches(store: SqliteEventStore, count: number): Promise<void> {
  for (let batch = 0; batch < count; batch++) {
    const events = batchOfEvents(batch);
    const result = await store.appendToStream(`crash-${batch % 4}`, events);
    acknowledge({ batch, position: result.position.toString(), ids: events.map((event) => event.id) });
  }
}

async function race(store: SqliteEventStore, streamCount: number): Promise<void> {
  for (let stream = 0; stream < streamCount; stream++) {
    const streamId = `race-${stream}`;
    try {
      await store.appendToStream(streamId, [{ id: randomUUID(), type: 'RaceWon', data: { pid: process.pid } }], 0);
      acknowledge({ streamId, won: true });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      acknowledge({ streamId, won: false });
    }
  }
}

async function main(): Promise<void> {
  const [mode, filePath, count] = process.argv.slice(2);
  const store = SqliteEventStore.open(filePath!);
  if (mode === 'batches') await appendBatches(store, Number(count ?? Number.MAX_SAFE_INTEGER));
  else if (mode === 'race') await race(store, Number(count));
  else throw new Error(`unknown mode ${String(mode)}`);
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
