/**
 * `reproduce` of a synthetic chain (12 tiers, fan-in 8, N footprints) on the embedded exchange:
 * time and peak memory, and the events it replays per second beside a raw sequential read of the
 * same rows. One process per size (bench/run.ts); the exchange runs as a child process.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { accessToken, buildChain, callExchange, EMBEDDED_EVENTS_FILE, writeChainToDataDir, type ChainShape } from '@exchange/synthetic';
import { parseArgs } from '../lib/args';
import { startExchangeChild, type ExchangeChild } from '../lib/exchange-child';
import { procMemory, resetPeak, sampleRss, runFigure } from '../lib/proc';
import { copyStore, diskTempDir, fastScratchDir, markWorkersCaughtUp, removeDir } from '../lib/scratch';
import { emit, log } from '../lib/result';
import { withTimeout } from '../lib/time';
import { median, MiB, round } from '../lib/stats';

const args = parseArgs();
const footprints = args.number('footprints', 1000);
const tiers = args.number('tiers', 12);
const fanIn = args.number('fanIn', 8);
const shape = args.string('shape', 'tree') as ChainShape;
const rounds = args.number('rounds', 3);
const timeoutMs = args.number('timeoutMs', 600_000);
const catchUp = args.options.get('catch-up') === 'true';
const FIGURE = `reproduce ${footprints}`;

/** A raw sequential read of the rows reproduce replays (every footprint.submitted of the chain), all columns, no parsing. */
function rawRead(file: string): { rows: number; rate: number; ms: number } {
  const db = new Database(file, { readonly: true });
  try {
    const select = db.prepare(
      "SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events WHERE type = 'footprint.submitted' ORDER BY position",
    );
    const started = performance.now();
    let rows = 0;
    let bytes = 0;
    for (const row of select.iterate() as IterableIterator<{ data: string }>) {
      rows++;
      bytes += row.data.length;
    }
    const ms = performance.now() - started;
    void bytes;
    return { rows, rate: rows / (ms / 1000), ms };
  } finally {
    db.close();
  }
}

async function startupWithoutCheckpoints(scratch: string, events: number, foldOnlyMs: number) {
  const dataDir = diskTempDir('catch-up');
  let exchange: ExchangeChild | undefined;
  try {
    copyStore(scratch, dataDir);
    exchange = await startExchangeChild({ dataDir, readyTimeoutMs: timeoutMs });
    const catchUpMs = exchange.startupMs - foldOnlyMs;
    log(FIGURE, `startup with the workers' checkpoints at 0: ${Math.round(exchange.startupMs)} ms (vs ${Math.round(foldOnlyMs)} ms at head)`);
    const measurable = catchUpMs > 0.1 * foldOnlyMs;
    emit({
      id: 'workers-catch-up',
      title: 'in-process workers catching up on a history at startup',
      unit: 'events/s',
      value: measurable ? round(events / (catchUpMs / 1000), 1) : null,
      baseline: null,
      goal: null,
      measured: `the same ${events}-event history served twice: startup (spawn to /health 200) with the reactions' and relay's checkpoints at 0 took ${Math.round(exchange.startupMs)} ms, at head ${Math.round(foldOnlyMs)} ms; value = events / the difference${measurable ? '' : ' (the difference is within the noise of a startup, so no rate is given)'}. What a first start on an imported history, or a restart after the checkpoints fell behind, costs.`,
      details: { events, startupMs: round(exchange.startupMs, 0), foldOnlyStartupMs: round(foldOnlyMs, 0), differenceMs: round(catchUpMs, 0) },
    });
  } finally {
    await exchange?.stop();
    removeDir(dataDir);
  }
}

async function main(): Promise<void> {
  const scratch = fastScratchDir('reproduce');
  const dataDir = diskTempDir('reproduce');
  let exchange: ExchangeChild | undefined;
  try {
    let started = performance.now();
    const chain = await buildChain({ tiers, fanIn, footprints, shape, orgsPerTier: 4, auditor: true, seed: 12 });
    const planMs = performance.now() - started;
    started = performance.now();
    const written = await writeChainToDataDir(scratch, chain);
    const writeMs = performance.now() - started;
    log(FIGURE, `planned in ${Math.round(planMs)} ms, wrote ${written.events} events (${written.appends} appends) in ${Math.round(writeMs)} ms`);
    copyStore(scratch, dataDir);
    markWorkersCaughtUp(dataDir);
    exchange = await startExchangeChild({ dataDir, readyTimeoutMs: timeoutMs });
    log(FIGURE, `exchange up in ${Math.round(exchange.startupMs)} ms, rss ${(procMemory(exchange.pid).rss / MiB).toFixed(0)} MiB`);
    const auditor = chain.plan.auditor!;
    const token = await accessToken(exchange.baseUrl, auditor.id, auditor.clientSecret);
    const file = join(dataDir, EMBEDDED_EVENTS_FILE);

    const times: number[] = [];
    const peaks: number[] = [];
    const deltas: number[] = [];
    const rawRates: number[] = [];
    const replayRates: number[] = [];
    const details = [];
    let timedOut = false;
    let replayed = 0;
    let levels = 0;
    let correct = true;
    for (let r = 0; r < rounds; r++) {
      const before = procMemory(exchange.pid).rss;
      const hwmReset = resetPeak(exchange.pid);
      const sampler = sampleRss(exchange.pid);
      const t0 = performance.now();
      const answer = await withTimeout(
        callExchange(exchange.baseUrl, 'POST', `/v1/footprints/${chain.plan.root.id}/reproduce`, { token, body: {} }),
        timeoutMs,
      );
      if (!answer) {
        sampler.stop();
        timedOut = true;
        log(FIGURE, `reproduce did not answer within ${timeoutMs} ms`);
        break;
      }
      const ms = performance.now() - t0;
      const sampledPeak = sampler.stop();
      const { hwm } = procMemory(exchange.pid);
      const peak = hwmReset && Number.isFinite(hwm) ? hwm : sampledPeak;
      const body = answer.body;
      const ok =
        answer.status === 200 &&
        body.matchesRecorded === true &&
        JSON.stringify(body.total) === JSON.stringify(chain.plan.root.total) &&
        body.eventsReplayed === footprints;
      correct &&= ok;
      replayed = body.eventsReplayed;
      levels = body.levels?.length ?? 0;
      const rawResult = rawRead(file);
      times.push(ms);
      peaks.push(peak);
      deltas.push(peak - before);
      rawRates.push(rawResult.rate);
      replayRates.push(replayed / (ms / 1000));
      details.push({
        ms: round(ms, 1),
        peakRssMiB: round(peak / MiB, 1),
        rssBeforeMiB: round(before / MiB, 1),
        eventsReplayed: replayed,
        levels,
        rawRowsPerSecond: round(rawResult.rate, 0),
        rawRows: rawResult.rows,
        correct: ok,
        status: answer.status,
      });
      log(
        FIGURE,
        `round ${r + 1}/${rounds}: ${ms.toFixed(0)} ms, peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - before) / MiB).toFixed(0)}), replayed ${replayed} events, raw read ${rawResult.rate.toFixed(0)} rows/s, correct ${ok}`,
      );
      if (!ok) log(FIGURE, `unexpected answer: ${answer.status} ${JSON.stringify(body).slice(0, 400)}`);
    }
    const measured = `${shape} chain of ${footprints} footprints (${tiers} tiers, fan-in ${fanIn}, widths ${chain.plan.widths.join('/')}, ${written.events} events), written through the port into /dev/shm, copied to disk, exchange child started on it; the auditor (scope derivation on every footprint) POSTs /v1/footprints/{root}/reproduce; median of ${times.length} rounds (each round also appends its audit records)`;
    emit({
      id: `reproduce-${footprints}`,
      title: `reproduce, ${footprints} footprints`,
      unit: 's',
      value: timedOut && times.length === 0 ? null : round(median(times) / 1000, 3),
      baseline: null,
      goal: null,
      ok: timedOut ? false : correct ? null : false,
      measured: `${measured}.${timedOut ? ` Timed out after ${timeoutMs / 1000} s.` : ''}`,
      details: {
        footprints,
        events: written.events,
        timedOut,
        correct,
        peakRssMiB: round(median(peaks) / MiB, 1),
        peakRssDeltaMiB: round(median(deltas) / MiB, 1),
        startupMs: round(exchange.startupMs, 0),
        fastPathWrite: { ms: round(writeMs, 0), eventsPerSecond: round(written.events / (writeMs / 1000), 0), appends: written.appends },
        rounds: details,
      },
    });
    emit({
      id: `replay-${footprints}`,
      title: `events replayed per second by reproduce, ${footprints} footprints`,
      unit: 'events/s',
      value: replayRates.length ? round(median(replayRates), 1) : null,
      baseline: rawRates.length ? round(median(rawRates), 1) : null,
      baselineTitle: 'raw sequential read of the same rows (better-sqlite3, all columns, no parsing)',
      goal: null,
      measured: `eventsReplayed / reproduce time (${measured}); baseline: SELECT of every footprint.submitted row in position order`,
      details: { eventsReplayed: replayed, levels },
    });
    if (catchUp) await startupWithoutCheckpoints(scratch, written.events, exchange.startupMs);
  } finally {
    await exchange?.stop();
    removeDir(scratch);
    removeDir(dataDir);
  }
}

runFigure(main);
