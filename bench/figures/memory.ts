/**
 * Resident memory of the embedded exchange holding a large history: a synthetic chain written
 * through the port until the history has `--events` events, served by the exchange as a child
 * process; RSS once it is ready and idle, beside the RSS of the same exchange on an empty store.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChain, planChain, storeEventCount, writeChainToDataDir } from '@exchange/synthetic';
import { parseArgs } from '../lib/args';
import { startExchangeChild, type ExchangeChild } from '../lib/exchange-child';
import { procMemory, runFigure } from '../lib/proc';
import { copyStore, diskTempDir, fastScratchDir, markWorkersCaughtUp, removeDir } from '../lib/scratch';
import { emit, log, valueAtMost } from '../lib/result';
import { MiB, round } from '../lib/stats';

const FIGURE = 'memory';
const args = parseArgs();
const targetEvents = args.number('events', args.quick ? 200_000 : 1_000_000);
const GOAL_EVENTS = 1_000_000;
const settleMs = 2000;
const shape = { tiers: 12, fanIn: 8, shape: 'tree' as const, orgsPerTier: 4, auditor: true };

const PROBE_ARGS = ['--expose-gc', '-r', join(__dirname, '..', 'lib', 'child-probe.js')];

async function idleRss(exchange: ExchangeChild): Promise<{ rss: number; hwm: number }> {
  await new Promise((r) => setTimeout(r, settleMs));
  return procMemory(exchange.pid);
}

/** After a forced full GC in the child: its process.memoryUsage() and VmRSS (what is live, not merely not yet collected). */
async function afterGc(
  exchange: ExchangeChild,
): Promise<{ rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number } | undefined> {
  const file = join(exchange.dataDir, 'memory-probe.json');
  process.kill(exchange.pid, 'SIGWINCH');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(file)) return undefined;
  await new Promise((r) => setTimeout(r, 100));
  return { ...JSON.parse(readFileSync(file, 'utf8')), rss: procMemory(exchange.pid).rss };
}

const mib = (bytes: number | undefined) => (bytes === undefined ? null : round(bytes / MiB, 1));

async function main(): Promise<void> {
  const emptyDir = diskTempDir('memory-empty');
  const scratch = fastScratchDir('memory');
  const dataDir = diskTempDir('memory');
  let exchange: ExchangeChild | undefined;
  try {
    // The empty exchange boots and idles while the history is written (the machine has cores to spare for it).
    const emptyMeasure = (async () => {
      const child = await startExchangeChild({
        dataDir: emptyDir,
        env: { BENCH_PROBE_FILE: join(emptyDir, 'memory-probe.json') },
        nodeArgs: PROBE_ARGS,
      });
      try {
        const idle = await idleRss(child);
        return { idle, gc: await afterGc(child) };
      } finally {
        await child.stop();
      }
    })();
    emptyMeasure.catch(() => undefined); // awaited below; do not let a failure count as unhandled meanwhile

    const probe = planChain({ ...shape, footprints: 4000, seed: 1 });
    const perFootprint = storeEventCount(probe) / probe.footprints.length;
    // A little over the target, so that the history is at least that long (the per-footprint count is an estimate).
    const footprints = Math.max(100, Math.ceil((targetEvents / perFootprint) * 1.01));
    let started = performance.now();
    const chain = await buildChain({ ...shape, footprints, seed: 77 });
    let nextReport = 0;
    const written = await writeChainToDataDir(scratch, chain, {
      onProgress: (n) => {
        if (n < nextReport) return;
        log(FIGURE, `written ${n} events`);
        nextReport = n + targetEvents / 5;
      },
    });
    const writeMs = performance.now() - started;
    const { idle: empty, gc: emptyGc } = await emptyMeasure;
    log(FIGURE, `empty exchange: ${(empty.rss / MiB).toFixed(0)} MiB`);
    log(FIGURE, `${written.events} events (${footprints} footprints) written in ${Math.round(writeMs)} ms`);
    started = performance.now();
    copyStore(scratch, dataDir);
    removeDir(scratch);
    markWorkersCaughtUp(dataDir);
    exchange = await startExchangeChild({ dataDir, env: { BENCH_PROBE_FILE: join(dataDir, 'memory-probe.json') }, nodeArgs: PROBE_ARGS });
    const full = await idleRss(exchange);
    const fullGc = await afterGc(exchange);
    log(
      FIGURE,
      `exchange holding ${written.events} events: ready in ${Math.round(exchange.startupMs)} ms, ${(full.rss / MiB).toFixed(0)} MiB (peak ${(full.hwm / MiB).toFixed(0)} MiB; after a full GC ${mib(fullGc?.rss)} MiB, heap used ${mib(fullGc?.heapUsed)} MiB)`,
    );
    const perEvent = (full.rss - empty.rss) / written.events;
    const measuredAtGoal = written.events >= GOAL_EVENTS;
    const atGoal = measuredAtGoal ? full.rss : empty.rss + perEvent * GOAL_EVENTS;
    emit({
      id: 'memory-1m-events',
      title: 'resident memory of the embedded exchange holding 1M events',
      unit: 'MiB',
      value: round(atGoal / MiB, 1),
      baseline: round(empty.rss / MiB, 1),
      baselineTitle: 'the same exchange on an empty store',
      ratio: null,
      goal: valueAtMost(1024, '< 1 GiB'),
      measured: measuredAtGoal
        ? `measured: VmRSS of the exchange child ${settleMs / 1000} s after /health answered 200, holding ${written.events} events (synthetic 12-tier chain of ${footprints} footprints: organizations, parts, BOMs, signed footprints, grants).`
        : `EXTRAPOLATED: measured ${round(full.rss / MiB, 1)} MiB holding ${written.events} events (synthetic 12-tier chain of ${footprints} footprints), i.e. ${round(perEvent, 0)} B per event over the empty exchange's ${round(empty.rss / MiB, 1)} MiB; value = empty + per-event × 1M.`,
      details: {
        events: written.events,
        footprints,
        measuredRssMiB: round(full.rss / MiB, 1),
        measuredPeakRssMiB: round(full.hwm / MiB, 1),
        emptyRssMiB: round(empty.rss / MiB, 1),
        bytesPerEvent: round(perEvent, 0),
        extrapolated: !measuredAtGoal,
        afterFullGc: fullGc && {
          rssMiB: mib(fullGc.rss),
          heapUsedMiB: mib(fullGc.heapUsed),
          heapTotalMiB: mib(fullGc.heapTotal),
          externalMiB: mib(fullGc.external),
          arrayBuffersMiB: mib(fullGc.arrayBuffers),
        },
        emptyAfterFullGc: emptyGc && { rssMiB: mib(emptyGc.rss), heapUsedMiB: mib(emptyGc.heapUsed) },
        startupMs: round(exchange.startupMs, 0),
        fastPathWrite: { ms: round(writeMs, 0), eventsPerSecond: round(written.events / (writeMs / 1000), 0) },
      },
    });
  } finally {
    await exchange?.stop();
    [emptyDir, scratch, dataDir].forEach(removeDir);
  }
}

runFigure(main);
