import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '@exchange/testing';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = 'apps/exchange/src/main.ts';
const NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', MAIN];
const OUTPUT_LIMIT = 64 * 1024;

export interface ChildExchangeOptions {
  dataDir: string;
  port: number;
  operatorToken: string;
  /**
   * RLIMIT_FSIZE in 512-byte blocks (`ulimit -S -f`, the soft limit, so it can be lifted on the live
   * process with `prlimit`), with SIGXFSZ ignored so that growing a file fails with EFBIG.
   */
  fileSizeLimitBlocks?: number;
  startTimeoutMs?: number;
  /** Further environment variables, set last. */
  env?: Record<string, string>;
}

/**
 * The exchange as a child process (`node apps/exchange/src/main.ts`), on 127.0.0.1 and the given
 * port, with its data in `dataDir`. Every instance is tracked so a suite can kill what is left.
 */
export class ChildExchange {
  private static readonly live = new Set<ChildExchange>();
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    ChildExchange.live.add(this);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        ChildExchange.live.delete(this);
        resolve({ code, signal });
      }),
    );
  }

  static async start(options: ChildExchangeOptions): Promise<ChildExchange> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: options.dataDir,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      EXCHANGE_OPERATOR_TOKEN: options.operatorToken,
      NODE_ENV: 'production',
      // ts-node's compile cache (a 2 MB blob in the temp dir) misbehaves under a small RLIMIT_FSIZE
      // and would break module loading before the exchange runs; it is tooling, not the exchange.
      DISABLE_V8_COMPILE_CACHE: '1',
    };
    delete env.KAFKA_BROKERS;
    delete env.EVENTSTORE_CONNECTION_STRING;
    delete env.EXCHANGE_KEYS_DIR;
    Object.assign(env, options.env);
    const child =
      options.fileSizeLimitBlocks === undefined
        ? spawn(process.execPath, NODE_ARGS, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('sh', ['-c', `trap '' XFSZ; ulimit -S -f ${options.fileSizeLimitBlocks}; exec "$0" "$@"`, process.execPath, ...NODE_ARGS], {
            cwd: ROOT,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
    const exchange = new ChildExchange(child, `http://127.0.0.1:${options.port}`);
    await exchange.waitHealthy(options.startTimeoutMs ?? 30_000);
    return exchange;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }

  /** Polls GET /health until it answers 200; fails with the child's output if it exits or times out. */
  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`the exchange exited while starting:\n${this.output}`);
      try {
        const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    await this.kill('SIGKILL');
    throw new Error(`the exchange did not become healthy in ${timeoutMs} ms:\n${this.output}`);
  }

  /** Sends the signal (unless it already exited) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Graceful stop (SIGTERM: stores close, checkpoints committed). */
  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }

  /** Kills, by their own pid, the children this process started that are still running. */
  static async killAll(): Promise<void> {
    await Promise.all([...ChildExchange.live].map((exchange) => exchange.kill('SIGKILL')));
  }
}
