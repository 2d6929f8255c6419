/**
 * Signed footprint submissions over HTTP, end to end, against the embedded exchange as a child
 * process; beside it, jose's compactVerify on the same documents with the same concurrency. Then
 * the latency at a moderate fixed rate and what happens beyond saturation (load shedding).
 */
import { compactVerify, importJWK, type KeyLike } from 'jose';
import { SIGNING_ALGORITHMS } from '@exchange/signing';
import { accessToken, buildChain, signExtraFootprints, writeChainToDataDir, type Chain } from '@exchange/synthetic';
import { parseArgs } from '../lib/args';
import { healthy, startExchangeChild } from '../lib/exchange-child';
import { closedLoop, JsonPoster, okCount, openLoop, type LoadSummary } from '../lib/http-load';
import { procCpuSeconds, procMemory, runFigure } from '../lib/proc';
import { diskTempDir, removeDir } from '../lib/scratch';
import { emit, log, ratioAtLeast } from '../lib/result';
import { median, MiB, round } from '../lib/stats';

const FIGURE = 'http';
const args = parseArgs();
const quick = args.quick;
const rounds = args.number('rounds', quick ? 3 : 5);
const concurrency = args.number('concurrency', 32);
const roundMs = quick ? 2000 : 6000;
const baselineMs = quick ? 600 : 2000;
const latencyMs = quick ? 3000 : 15_000;
const overloadSteps = quick ? [1.5, 3] : [1, 1.5, 2, 3, 4];
const stepMs = quick ? 2000 : 6000;
const drainMs = quick ? 2000 : 10_000;
const requestTimeoutMs = quick ? 5000 : 10_000;

/** Pre-signed submissions: signing happens between phases, never while a load runs. */
class SubmissionPool {
  private readonly bodies: string[] = [];
  readonly jws: string[] = [];
  private used = 0;

  constructor(
    private readonly chain: Chain,
    private readonly payloadSha256s: string[],
  ) {}

  async ensure(available: number): Promise<void> {
    const missing = available - (this.bodies.length - this.used);
    if (missing <= 0) return;
    const started = performance.now();
    const extras = await signExtraFootprints(this.chain, this.payloadSha256s, { count: missing, seed: this.bodies.length + 1 });
    for (const e of extras) {
      this.bodies.push(JSON.stringify({ jws: e.jws, derivation: e.derivation }));
      this.jws.push(e.jws);
    }
    log(FIGURE, `signed ${missing} more submissions in ${Math.round(performance.now() - started)} ms`);
  }

  next = (): string | undefined => this.bodies[this.used++];

  get position(): number {
    return this.used;
  }
}

async function compactVerifyRate(jws: readonly string[], key: KeyLike, durationMs: number): Promise<number> {
  let verified = 0;
  let next = 0;
  const started = performance.now();
  const until = started + durationMs;
  const client = async () => {
    while (performance.now() < until) {
      await compactVerify(jws[next++ % jws.length]!, key, { algorithms: [...SIGNING_ALGORITHMS] });
      verified++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return verified / ((performance.now() - started) / 1000);
}

const brief = (s: LoadSummary) => ({
  sent: s.sent,
  statuses: s.statuses,
  errors: s.errors,
  p50Ms: round(s.p50, 1),
  p99Ms: round(s.p99, 1),
  maxMs: round(s.max, 1),
  exhausted: s.exhausted,
});

async function main(): Promise<void> {
  const dataDir = diskTempDir('http');
  const chain = await buildChain({ tiers: 3, fanIn: 8, shape: 'tree', orgsPerTier: 4, auditor: false, seed: 101 });
  const written = await writeChainToDataDir(dataDir, chain);
  const root = chain.plan.organizations.find((o) => o.id === chain.plan.root.issuer)!;
  const pool = new SubmissionPool(chain, written.payloadSha256s);
  await pool.ensure(4000);
  const exchange = await startExchangeChild({ dataDir });
  log(FIGURE, `exchange up in ${Math.round(exchange.startupMs)} ms (${written.events} events of setup)`);
  try {
    const token = await accessToken(exchange.baseUrl, root.id, root.clientSecret);
    const poster = new JsonPoster(exchange.baseUrl, token, { maxSockets: 1024, timeoutMs: requestTimeoutMs });
    const send = (body: string, intendedAt?: number) => poster.post('/v1/footprints', body, intendedAt);
    const publicJwk = chain.keys.get(root.id)!.publicJwk;
    const key = (await importJWK({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x }, 'EdDSA')) as KeyLike;

    await closedLoop({ concurrency, durationMs: 800, next: pool.next, send }); // warm-up (JIT, connections)

    // Saturated throughput, each round beside its baseline on the documents that round submitted.
    const rates: number[] = [];
    const baselines: number[] = [];
    const roundDetails = [];
    let expectedRate = 1000;
    for (let r = 0; r < rounds; r++) {
      await pool.ensure(Math.ceil(expectedRate * 1.5 * (roundMs / 1000)) + 500);
      const from = pool.position;
      const serverCpuBefore = procCpuSeconds(exchange.pid);
      const clientCpuBefore = process.cpuUsage();
      const summary = await closedLoop({ concurrency, durationMs: roundMs, next: pool.next, send });
      const clientCpu = process.cpuUsage(clientCpuBefore);
      const serverCores = (procCpuSeconds(exchange.pid) - serverCpuBefore) / (summary.elapsedMs / 1000);
      const clientCores = (clientCpu.user + clientCpu.system) / 1e6 / (summary.elapsedMs / 1000);
      const rate = okCount(summary) / (summary.elapsedMs / 1000);
      const docs = pool.jws.slice(from, Math.max(from + 1, pool.position));
      const baseline = await compactVerifyRate(docs, key, baselineMs);
      rates.push(rate);
      baselines.push(baseline);
      expectedRate = Math.max(rate, 50);
      roundDetails.push({
        submissionsPerSecond: round(rate, 1),
        compactVerifyPerSecond: round(baseline, 0),
        serverCpuCores: round(serverCores, 2),
        clientCpuCores: round(clientCores, 2),
        ...brief(summary),
      });
      log(
        FIGURE,
        `round ${r + 1}/${rounds}: ${rate.toFixed(0)} submissions/s (p50 ${summary.p50?.toFixed(1)} ms, server ${serverCores.toFixed(2)} cores, client ${clientCores.toFixed(2)}), compactVerify ${baseline.toFixed(0)}/s`,
      );
    }
    const saturated = median(rates);

    // The floor under any API call: the cheapest authenticated request through the same stack
    // (token check, Nest routing, guards, serialization), same concurrency, same process.
    const partPath = `/v1/parts/${chain.plan.root.partId}`;
    const floorRates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const floor = await closedLoop({ concurrency, durationMs: baselineMs, next: () => partPath, send: (path) => poster.get(path) });
      floorRates.push(okCount(floor) / (floor.elapsedMs / 1000));
    }
    const floorRate = median(floorRates);
    log(FIGURE, `floor: GET ${partPath} ${floorRate.toFixed(0)}/s`);
    const besideCompactVerify = {
      baseline: round(median(baselines), 1),
      baselineTitle: `jose compactVerify of the submitted JWS, ${concurrency} concurrent, one process`,
    };
    emit({
      id: 'submissions-http',
      title: 'signed footprint submissions over HTTP, end to end',
      unit: 'submissions/s',
      value: round(saturated, 1),
      ...besideCompactVerify,
      goal: ratioAtLeast(0.5),
      measured: `${concurrency} concurrent keep-alive clients POST /v1/footprints (root part, 8 pinned inputs, Idempotency-Key each) to the embedded exchange (child process, DATA_DIR on disk) for ${roundMs / 1000} s per round; median of ${rounds} rounds; only 201s count. Client and server share the machine's cores.`,
      details: { rounds: roundDetails, serverRssMiB: round(procMemory(exchange.pid).rss / MiB, 1), unexpectedAnswer: poster.firstUnexpected },
    });

    emit({
      id: 'http-floor',
      title: 'the cheapest authenticated request (GET own part), for scale',
      unit: 'requests/s',
      value: round(floorRate, 1),
      ...besideCompactVerify,
      goal: null,
      measured: `${concurrency} concurrent keep-alive clients GET /v1/parts/{root part} (bearer token, owner read, no event) for ${baselineMs / 1000} s, median of ${rounds} rounds: what the HTTP stack alone allows, so the submission rate can be read against it (submissions are ${round(saturated / floorRate, 2)} of it).`,
      details: { rounds: floorRates.map((rate) => round(rate, 1)) },
    });

    // Latency at a moderate fixed rate: half the saturated throughput.
    const moderate = Math.max(10, Math.round(saturated / 2));
    await pool.ensure(Math.ceil(moderate * (latencyMs / 1000)) + 200);
    const latency = await openLoop({
      ratePerSecond: moderate,
      durationMs: latencyMs,
      drainMs: requestTimeoutMs,
      next: pool.next,
      send,
      abortAll: () => poster.abortAll(),
    });
    log(FIGURE, `at ${moderate}/s: p50 ${latency.p50?.toFixed(1)} ms, p99 ${latency.p99?.toFixed(1)} ms`);
    const latencyMeasured = `open-loop at ${moderate} submissions/s (half the saturated rate) for ${latencyMs / 1000} s; latency from each request's scheduled send time to its answer, 201s only`;
    emit({
      id: 'submission-latency-p50',
      title: `submission latency p50 at ${moderate}/s`,
      unit: 'ms',
      value: round(latency.p50, 2),
      baseline: null,
      goal: null,
      measured: latencyMeasured,
      details: { rate: moderate, ...brief(latency), maxInFlight: latency.maxInFlight },
    });
    emit({
      id: 'submission-latency-p99',
      title: `submission latency p99 at ${moderate}/s`,
      unit: 'ms',
      value: round(latency.p99, 2),
      baseline: null,
      goal: null,
      measured: latencyMeasured,
      details: { rate: moderate },
    });

    // Overload: open-loop steps above saturation, each bounded in time; what does the server do?
    const steps = [];
    let shedAt: number | null = null;
    let fellOver = false;
    for (const multiple of overloadSteps) {
      const rate = Math.round(saturated * multiple);
      await pool.ensure(Math.ceil(rate * (stepMs / 1000)) + 200);
      const rssBefore = procMemory(exchange.pid).rss;
      const step = await openLoop({ ratePerSecond: rate, durationMs: stepMs, drainMs, next: pool.next, send, abortAll: () => poster.abortAll() });
      const up = exchange.alive() && (await healthy(exchange.baseUrl, 5000));
      const shed = step.with503RetryAfter;
      const completedRate = okCount(step) / ((step.elapsedMs + drainMs) / 1000);
      steps.push({
        offeredPerSecond: rate,
        ...brief(step),
        with503RetryAfter: shed,
        maxInFlight: step.maxInFlight,
        abandonedAfterDrain: step.abandoned,
        serverRssMiB: { before: round(rssBefore / MiB, 1), after: round(procMemory(exchange.pid).rss / MiB, 1) },
        healthyAfter: up,
      });
      log(
        FIGURE,
        `overload ${rate}/s: ${JSON.stringify(step.statuses)}, 503+Retry-After ${shed}, p99 ${step.p99?.toFixed(0)} ms, abandoned ${step.abandoned}, healthy after: ${up}`,
      );
      if (shedAt === null && shed >= Math.max(1, 0.01 * step.sent)) shedAt = rate;
      void completedRate;
      if (!up) {
        fellOver = true;
        break;
      }
    }
    const answered503 = steps.some((s) => s.with503RetryAfter > 0);
    emit({
      id: 'load-shedding',
      title: 'rate at which the server starts to shed load (503 + Retry-After)',
      unit: 'submissions/s',
      value: shedAt,
      baseline: round(saturated, 1),
      baselineTitle: 'saturated throughput',
      goal: null,
      ok: answered503 && !fellOver,
      measured: `open-loop steps at ${overloadSteps.map((m) => `${m}×`).join(', ')} the saturated rate, ${stepMs / 1000} s each, then up to ${drainMs / 1000} s to drain (requests time out after ${requestTimeoutMs / 1000} s, the rest are aborted); shedding = at least 1% of requests answered 503 with Retry-After. ${answered503 ? '' : 'No 503 was seen: the server queues instead (see latency and in-flight per step).'}${fellOver ? ' The server stopped answering /health.' : ''}`,
      details: { steps },
    });
    poster.close();
  } finally {
    await exchange.stop();
    removeDir(dataDir);
  }
}

runFigure(main);
