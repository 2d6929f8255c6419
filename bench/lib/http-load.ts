import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { percentile } from './stats';

export interface PostResult {
  /** HTTP status, or 0 when no answer came (connection error, timeout, aborted). */
  status: number;
  retryAfter?: string;
  /** From the intended send time to the end of the answer. */
  ms: number;
  error?: string;
}

/** POSTs pre-serialized JSON bodies (each with a fresh Idempotency-Key, as API.md asks of clients) and GETs over keep-alive connections. */
export class JsonPoster {
  private readonly agent: Agent;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly inFlight = new Set<{ destroy(error?: Error): void }>();
  /** One sample of an unexpected answer, for the report. */
  firstUnexpected?: { status: number; body: string };

  constructor(
    baseUrl: string,
    private readonly token: string,
    options: { maxSockets: number; timeoutMs: number },
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
    this.url = new URL(baseUrl);
    this.timeoutMs = options.timeoutMs;
  }

  post(path: string, body: string, intendedAt: number = performance.now()): Promise<PostResult> {
    return this.send('POST', path, body, intendedAt);
  }

  get(path: string, intendedAt: number = performance.now()): Promise<PostResult> {
    return this.send('GET', path, undefined, intendedAt);
  }

  private send(method: 'GET' | 'POST', path: string, body: string | undefined, intendedAt: number): Promise<PostResult> {
    return new Promise((resolveResult) => {
      let done = false;
      const finish = (result: Omit<PostResult, 'ms'>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.inFlight.delete(req);
        resolveResult({ ...result, ms: performance.now() - intendedAt });
      };
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers:
            body === undefined
              ? { authorization: `Bearer ${this.token}` }
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                  authorization: `Bearer ${this.token}`,
                  'idempotency-key': randomUUID(),
                },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            if (status >= 300 && !this.firstUnexpected) chunks.push(chunk);
          });
          res.on('end', () => {
            if (status >= 300 && status !== 503 && !this.firstUnexpected)
              this.firstUnexpected = { status, body: Buffer.concat(chunks).toString('utf8').slice(0, 500) };
            const retryAfter = res.headers['retry-after'];
            finish({ status, ...(retryAfter !== undefined && { retryAfter: String(retryAfter) }) });
          });
          res.on('error', (error) => finish({ status: 0, error: error.message }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error('timeout'));
      }, this.timeoutMs);
      req.on('error', (error) => finish({ status: 0, error: error.message }));
      this.inFlight.add(req);
      req.end(body);
    });
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Aborts what is still in flight (those answer status 0, "aborted") and closes the sockets. */
  abortAll(): void {
    for (const req of [...this.inFlight]) req.destroy(new Error('aborted'));
  }

  close(): void {
    this.abortAll();
    this.agent.destroy();
  }
}

export interface LoadSummary {
  sent: number;
  /** Answers by status ("0" for no answer). */
  statuses: Record<string, number>;
  /** 503 answers that carried Retry-After. */
  with503RetryAfter: number;
  errors: Record<string, number>;
  elapsedMs: number;
  /** Latency of the 2xx answers, ms. */
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Whether the bodies ran out before the time was up. */
  exhausted: boolean;
}

export function summarize(results: readonly PostResult[], elapsedMs: number, exhausted: boolean): LoadSummary {
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let with503RetryAfter = 0;
  const okLatencies: number[] = [];
  for (const r of results) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
    if (r.status === 503 && r.retryAfter !== undefined) with503RetryAfter++;
    if (r.status >= 200 && r.status < 300) okLatencies.push(r.ms);
  }
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    sent: results.length,
    statuses,
    with503RetryAfter,
    errors,
    elapsedMs,
    p50: finite(percentile(okLatencies, 50)),
    p99: finite(percentile(okLatencies, 99)),
    max: okLatencies.length ? Math.max(...okLatencies) : null,
    exhausted,
  };
}

export const okCount = (s: LoadSummary) =>
  Object.entries(s.statuses).reduce((n, [status, count]) => n + (Number(status) >= 200 && Number(status) < 300 ? count : 0), 0);

/** `concurrency` clients, each sending its next body as soon as the previous answer arrived, for `durationMs` (or until the bodies run out). */
export async function closedLoop(options: {
  concurrency: number;
  durationMs: number;
  next: () => string | undefined;
  send: (body: string) => Promise<PostResult>;
}): Promise<LoadSummary> {
  const results: PostResult[] = [];
  const started = performance.now();
  const until = started + options.durationMs;
  let exhausted = false;
  const client = async () => {
    while (performance.now() < until) {
      const body = options.next();
      if (body === undefined) {
        exhausted = true;
        return;
      }
      results.push(await options.send(body));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return summarize(results, performance.now() - started, exhausted);
}

/**
 * An open-loop load: sends at a fixed rate whatever the answers (as independent clients would), for
 * `durationMs`, then waits up to `drainMs` for the answers still due and aborts the rest. Latency is
 * measured from each request's scheduled time, so queueing anywhere counts.
 */
export async function openLoop(options: {
  ratePerSecond: number;
  durationMs: number;
  drainMs: number;
  next: () => string | undefined;
  send: (body: string, intendedAt: number) => Promise<PostResult>;
  abortAll: () => void;
}): Promise<LoadSummary & { maxInFlight: number; abandoned: number }> {
  const interval = 1000 / options.ratePerSecond;
  const started = performance.now();
  const until = started + options.durationMs;
  const pending = new Set<Promise<PostResult>>();
  const results: PostResult[] = [];
  let scheduled = 0;
  let exhausted = false;
  let maxInFlight = 0;
  while (!exhausted) {
    const now = performance.now();
    if (now >= until) break;
    // Send everything whose slot has come (timers are coarse; the rate stays exact on average).
    while (started + scheduled * interval <= now) {
      const body = options.next();
      if (body === undefined) {
        exhausted = true;
        break;
      }
      const intendedAt = started + scheduled * interval;
      scheduled++;
      const p = options.send(body, intendedAt).then((r) => {
        pending.delete(p);
        results.push(r);
        return r;
      });
      pending.add(p);
      maxInFlight = Math.max(maxInFlight, pending.size);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(5, started + scheduled * interval - performance.now()))));
  }
  const sendingMs = performance.now() - started;
  const drainUntil = performance.now() + options.drainMs;
  while (pending.size > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  const abandoned = pending.size;
  if (abandoned > 0) {
    options.abortAll();
    await Promise.all([...pending]);
  }
  return { ...summarize(results, sendingMs, exhausted), maxInFlight, abandoned };
}
