/**
 * `reproduce` on chains whose suppliers are shared (a lattice: each footprint pins fanIn footprints
 * of the next tier, each footprint is pinned by up to fanIn customers), at growing depth: does
 * reproduce visit each footprint once, or once per path from the root? Bounded in time per depth.
 */
import { accessToken, buildChain, callExchange, tierWidths, writeChainToDataDir, type Chain } from '@exchange/synthetic';
import { parseArgs } from '../lib/args';
import { startExchangeChild, type ExchangeChild } from '../lib/exchange-child';
import { markWorkersCaughtUp, diskTempDir, removeDir } from '../lib/scratch';
import { emit, log } from '../lib/result';
import { withTimeout } from '../lib/time';
import { linearFit, round } from '../lib/stats';
import { runFigure } from '../lib/proc';

const FIGURE = 'lattice';
const args = parseArgs();
const depths = args.numbers('tiers', args.quick ? [2, 3, 4, 5] : [2, 3, 4, 5, 6]);
const fanIn = args.number('fanIn', 8);
const width = args.number('width', 16);
const timeoutMs = args.number('timeoutMs', args.quick ? 20_000 : 120_000);
const TARGET_TIERS = 12;

/** Footprints of a lattice of `tiers` tiers whose widths grow by fanIn up to `width`. */
const sizeOf = (tiers: number) => Array.from({ length: tiers }, (_, t) => Math.min(fanIn ** t, width)).reduce((a, b) => a + b, 0);
/** Paths from the root to every footprint: what a walk without memory visits. */
const pathsOf = (tiers: number) => Array.from({ length: tiers }, (_, t) => fanIn ** t).reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const dataDir = diskTempDir('lattice');
  let exchange: ExchangeChild | undefined;
  try {
    const chains: Chain[] = [];
    for (const tiers of depths) {
      const chain = await buildChain({ tiers, fanIn, footprints: sizeOf(tiers), shape: 'lattice', orgsPerTier: 4, auditor: true, seed: 300 + tiers });
      await writeChainToDataDir(dataDir, chain);
      chains.push(chain);
    }
    markWorkersCaughtUp(dataDir);
    exchange = await startExchangeChild({ dataDir });
    const rows = [];
    for (const chain of chains) {
      const tiers = chain.plan.widths.length;
      const auditor = chain.plan.auditor!;
      const token = await accessToken(exchange.baseUrl, auditor.id, auditor.clientSecret);
      const started = performance.now();
      const answer = await withTimeout(
        callExchange(exchange.baseUrl, 'POST', `/v1/footprints/${chain.plan.root.id}/reproduce`, { token, body: {} }),
        timeoutMs,
      );
      const ms = performance.now() - started;
      const row = {
        tiers,
        footprints: chain.plan.footprints.length,
        pathsFromRoot: pathsOf(tiers),
        ms: answer ? round(ms, 1) : null,
        timedOut: !answer,
        levelsVisited: answer?.body?.levels?.length ?? null,
        eventsReplayed: answer?.body?.eventsReplayed ?? null,
        matchesRecorded: answer?.body?.matchesRecorded ?? null,
      };
      rows.push(row);
      log(
        FIGURE,
        `${tiers} tiers, ${row.footprints} footprints (${row.pathsFromRoot} paths): ${answer ? `${ms.toFixed(0)} ms, ${row.levelsVisited} levels visited` : `no answer within ${timeoutMs} ms`}`,
      );
      if (!answer) break;
    }
    const done = rows.filter((r) => r.ms !== null && r.ms > 0);
    const fit = linearFit(
      done.map((r) => r.tiers),
      done.map((r) => Math.log(r.ms!)),
    );
    // The ratio of the last two depths: the fixed cost of a request weighs least there.
    const growthPerTier = done.length >= 2 ? done[done.length - 1]!.ms! / done[done.length - 2]!.ms! : null;
    const last = done[done.length - 1];
    const msPerVisit = last ? last.ms! / Math.max(1, last.levelsVisited ?? last.pathsFromRoot) : null;
    const target = tierWidths(TARGET_TIERS, fanIn, 1000);
    const extrapolatedSeconds = msPerVisit !== null ? (msPerVisit * pathsOf(TARGET_TIERS)) / 1000 : null;
    const visitsPerFootprint = last?.levelsVisited ? last.levelsVisited / last.footprints : null;
    emit({
      id: 'reproduce-lattice',
      title: 'reproduce with shared suppliers: growth of time per added tier',
      unit: '× per tier',
      value: round(growthPerTier, 2),
      baseline: null,
      goal: null,
      ok: visitsPerFootprint === null ? null : visitsPerFootprint <= 1,
      measured: `lattice chains (fan-in ${fanIn}, tier widths min(${fanIn}^t, ${width})) of ${depths.join(', ')} tiers in one exchange child; the auditor reproduces each root; value = time at the deepest chain / time one tier shallower. A walk that visits each footprint once grows with the footprints (+${width} per tier); one that visits every path grows ×${fanIn} per tier. At ${last?.tiers} tiers: ${last?.levelsVisited} levels visited for ${last?.footprints} footprints. Extrapolated to the ${TARGET_TIERS}-tier, fan-in-${fanIn} lattice of 1k footprints (widths ${target.join('/')}): ${pathsOf(TARGET_TIERS).toExponential(2)} visits ≈ ${extrapolatedSeconds?.toExponential(2)} s.`,
      details: {
        rows,
        fittedGrowthPerTier: round(Math.exp(fit.slope), 2),
        msPerVisit: round(msPerVisit, 3),
        visitsPerFootprint: round(visitsPerFootprint, 2),
        extrapolatedSecondsAt12Tiers: round(extrapolatedSeconds, 0),
      },
    });
  } finally {
    await exchange?.stop(5000);
    removeDir(dataDir);
  }
}

runFigure(main);
