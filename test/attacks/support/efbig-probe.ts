/**
 * Run under `ulimit -f` (SIGXFSZ ignored): appends to a fresh SQLite event store until a write
 * fails, and prints how the adapter reported it, as one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';

async function main(path: string): Promise<void> {
  const store = SqliteEventStore.open(path);
  const data = { filler: 'x'.repeat(4096) };
  for (let i = 0; i < 10_000; i++) {
    try {
      await store.appendToStream(`probe-${i}`, [{ id: randomUUID(), type: 'probe.filled', data }], 'no-stream');
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      process.stdout.write(
        `${JSON.stringify({ appended: i, error: (error as Error).constructor.name, unavailable: error instanceof StoreUnavailableError, code: cause?.code ?? (error as { code?: string }).code ?? null, message: (error as Error).message })}\n`,
      );
      return;
    }
  }
  process.stdout.write(`${JSON.stringify({ appended: 10_000, error: null })}\n`);
}

main(process.argv[2]!).catch((error) => {
  process.stdout.write(`${JSON.stringify({ crashed: String(error) })}\n`);
  process.exitCode = 1;
});
