import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '@exchange/testing';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const OPERATOR_TOKEN = 'bench-operator-token-0123456789';

/** Node arguments that run a TypeScript entry point of this repository (what `npm start` does, without npm). */
export const TS_NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

/**
 * How `npm start` runs the exchange: the compiled JavaScript in dist/ (built by `npm run build`,
 * which bench/run.ts does first), with the @exchange/* aliases resolved against dist/.
 */
export const COMPILED_EXCHANGE_ARGS = ['-r', 'tsconfig-paths/register', 'dist/apps/exchange/src/main.js'];
export const COMPILED_ENV = { TS_NODE_BASEURL: './dist' };

export interface ExchangeChild {
  baseUrl: string;
  pid: number;
  operatorToken: string;
  dataDir: string;
  /** From spawn to the first 200 on /health. */
  startupMs: number;
  logFile: string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the embedded exchange (apps/exchange/src/main.ts, as `npm start` runs it) as a child
 * process on 127.0.0.1 with the given DATA_DIR, and waits until /health answers 200.
 */
export async function startExchangeChild(options: {
  dataDir: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  nodeArgs?: string[];
}): Promise<ExchangeChild> {
  const port = await freePort();
  const logFile = join(options.dataDir, 'exchange.log');
  const out = openSync(logFile, 'a');
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...COMPILED_EXCHANGE_ARGS], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...COMPILED_ENV,
      DATA_DIR: options.dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EXCHANGE_OPERATOR_TOKEN: OPERATOR_TOKEN,
      ...options.env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exited = false;
  const exit = new Promise<void>((resolveExit) => child.once('exit', () => ((exited = true), resolveExit())));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = started + (options.readyTimeoutMs ?? 600_000);
  for (;;) {
    if (exited) throw new Error(`the exchange exited during startup; log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the exchange was not ready within ${options.readyTimeoutMs ?? 600_000} ms`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const startupMs = performance.now() - started;
  return {
    baseUrl,
    pid: child.pid!,
    operatorToken: OPERATOR_TOKEN,
    dataDir: options.dataDir,
    startupMs,
    logFile,
    alive: () => !exited,
    async stop(graceMs = 15_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Whether the exchange answers /health with 200 within `timeoutMs`. */
export async function healthy(baseUrl: string, timeoutMs = 5000): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) })).status === 200;
  } catch {
    return false;
  }
}
