import { createServer } from 'node:net';

/** Polls `condition` every `everyMs` until it holds; fails naming `description` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, description: string, timeoutMs = 10_000, everyMs = 5): Promise<void> {
  if (!(await holdsWithin(condition, timeoutMs, everyMs))) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
}

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passed; answers whether it held. */
export async function holdsWithin(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

/** Lets pending promise callbacks and I/O callbacks run (not a timed sleep). */
export async function settle(rounds = 50): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise((resolve) => setImmediate(resolve));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
