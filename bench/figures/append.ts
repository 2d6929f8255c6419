/**
 * Events appended per second through the EventStore port (SqliteEventStore), single-event and
 * batched commits, beside raw inserts of identical rows straight into the same embedded database
 * (better-sqlite3, same file settings and schema, one transaction per commit).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { streams } from '@exchange/domain';
import type { NewEvent } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { buildChain, signChainTiers, type SignedFootprint } from '@exchange/synthetic';
import { parseArgs } from '../lib/args';
import { diskTempDir, removeDir } from '../lib/scratch';
import { emit, log, ratioAtLeast } from '../lib/result';
import { median, round } from '../lib/stats';
import { runFigure } from '../lib/proc';

const FIGURE = 'append';
const args = parseArgs();
const quick = args.quick;
const rounds = args.number('rounds', quick ? 3 : 5);
const batchSize = args.number('batch', 100);
const concurrency = args.number('concurrency', 32);
const timeMs = quick ? 800 : 4000;
const maxSingle = quick ? 4000 : 20_000;
const maxBatches = quick ? 200 : 1000;

interface Row {
  streamId: string;
  eventId: string;
  type: string;
  data: unknown;
  dataJson: string;
}

/** footprint.submitted payloads of a small signed chain: the exchange's commonest large event. */
async function samplePayloads(): Promise<{ type: string; data: unknown; dataJson: string }[]> {
  const chain = await buildChain({ tiers: 2, fanIn: 8, auditor: false, seed: 7 });
  const signed: SignedFootprint[] = [];
  await signChainTiers(chain, async (tier) => void signed.push(...tier));
  return signed.map((s) => {
    const f = s.planned;
    const data = {
      footprintId: f.id,
      version: 1,
      issuer: f.issuer,
      partId: f.partId,
      jws: s.jws,
      payloadSha256: s.payloadSha256,
      document: s.document,
      derivation: s.derivation,
      receivedAt: new Date().toISOString(),
    };
    return { type: 'footprint.submitted', data, dataJson: JSON.stringify(data) };
  });
}

/** Identical rows for both sides: one fresh stream per commit, fresh event ids. */
function makeRows(payloads: Awaited<ReturnType<typeof samplePayloads>>, commits: number, perCommit: number): Row[][] {
  return Array.from({ length: commits }, (_, c) => {
    const streamId = streams.footprint(randomUUID());
    return Array.from({ length: perCommit }, (_, k) => {
      const p = payloads[(c * perCommit + k) % payloads.length]!;
      return { streamId, eventId: randomUUID(), type: p.type, data: p.data, dataJson: p.dataJson };
    });
  });
}

interface Side {
  commit(batch: Row[]): Promise<void> | void;
  close(): Promise<void> | void;
}

/** The port: SqliteEventStore.appendToStream, one stream per commit. */
function portSide(dir: string): Side {
  const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
  return {
    commit: async (batch) => {
      const newEvents: NewEvent[] = batch.map((r) => ({ id: r.eventId, type: r.type, data: r.data }));
      await store.appendToStream(batch[0]!.streamId, newEvents, 'no-stream');
    },
    close: () => store.close(),
  };
}

/** The same rows, inserted with one prepared statement, one IMMEDIATE transaction per commit. */
async function rawSide(dir: string): Promise<Side> {
  const file = join(dir, 'events.sqlite');
  await SqliteEventStore.open(file).close(); // the same schema and file settings (WAL) as the adapter's
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const commit = db.transaction((batch: Row[]) => {
    const recordedAt = new Date().toISOString();
    batch.forEach((r, revision) => insert.run(r.streamId, revision, r.eventId, r.type, r.dataJson, '{}', recordedAt));
  });
  return { commit: (batch) => void commit.immediate(batch), close: () => void db.close() };
}

/**
 * One round: both sides on fresh files, taking turns in short slices (so a change in the machine's
 * load or the disk's speed hits both alike) until the time or the rows run out.
 */
async function round1(
  perCommit: number,
  maxCommits: number,
  slice: number,
  payloads: Awaited<ReturnType<typeof samplePayloads>>,
  concurrent: boolean,
) {
  const dirs = [diskTempDir('append'), diskTempDir('append')];
  const sides = { port: portSide(dirs[0]!), raw: await rawSide(dirs[1]!) };
  const rows = { port: makeRows(payloads, maxCommits, perCommit), raw: makeRows(payloads, maxCommits, perCommit) };
  const spent = { port: 0, raw: 0 };
  const done = { port: 0, raw: 0 };
  try {
    while (spent.port + spent.raw < 2 * timeMs && done.port < maxCommits && done.raw < maxCommits) {
      for (const side of ['port', 'raw'] as const) {
        const started = performance.now();
        if (concurrent && side === 'port') {
          // A slice of independent appends issued at once, as concurrent requests would.
          const batch = rows.port.slice(done.port, Math.min(maxCommits, done.port + slice));
          done.port += batch.length;
          await Promise.all(batch.map((commit) => sides.port.commit(commit)));
        } else {
          for (let k = 0; k < slice && done[side] < maxCommits; k++) await sides[side].commit(rows[side][done[side]++]!);
        }
        spent[side] += performance.now() - started;
      }
    }
  } finally {
    await sides.port.close();
    await sides.raw.close();
    dirs.forEach(removeDir);
  }
  const rate = (side: 'port' | 'raw') => (done[side] * perCommit) / (spent[side] / 1000);
  return { port: rate('port'), raw: rate('raw'), events: done.port * perCommit };
}

async function measure(
  label: string,
  perCommit: number,
  maxCommits: number,
  slice: number,
  payloads: Awaited<ReturnType<typeof samplePayloads>>,
  concurrent = false,
) {
  const port: number[] = [];
  const baseline: number[] = [];
  const ratios: number[] = [];
  const details = [];
  for (let r = 0; r < rounds; r++) {
    const result = await round1(perCommit, maxCommits, slice, payloads, concurrent);
    port.push(result.port);
    baseline.push(result.raw);
    ratios.push(result.port / result.raw);
    details.push({
      portEventsPerSecond: round(result.port, 0),
      rawEventsPerSecond: round(result.raw, 0),
      ratio: round(result.port / result.raw, 3),
      eventsPerSide: result.events,
    });
    log(FIGURE, `${label} round ${r + 1}/${rounds}: port ${result.port.toFixed(0)} events/s, raw ${result.raw.toFixed(0)} events/s`);
  }
  return { value: median(port), baseline: median(baseline), ratio: median(ratios), details };
}

async function main(): Promise<void> {
  const payloads = await samplePayloads();
  const avgBytes = Math.round(payloads.reduce((n, p) => n + p.dataJson.length, 0) / payloads.length);
  const single = await measure('single', 1, maxSingle, 25, payloads);
  emit({
    id: 'append-single',
    title: 'events appended per second through the event-store port, one event per commit',
    unit: 'events/s',
    value: round(single.value, 1),
    baseline: round(single.baseline, 1),
    ratio: single.ratio,
    baselineTitle: 'raw INSERT of identical rows, one transaction each, same database settings',
    goal: ratioAtLeast(0.7),
    measured: `SqliteEventStore.appendToStream(new stream, [1 footprint.submitted event of ~${avgBytes} B], 'no-stream') on disk (WAL, synchronous=FULL), up to ${maxSingle} commits or ${timeMs / 1000} s per side per round, the two sides taking turns every 25 commits on fresh files; value and baseline are medians of ${rounds} rounds, the ratio the median of the rounds' ratios.`,
    details: { rounds: single.details, eventBytes: avgBytes },
  });
  const concurrent = await measure(`concurrent ${concurrency}`, 1, maxSingle, concurrency, payloads, true);
  emit({
    id: 'append-concurrent',
    title: `events appended per second through the event-store port, one event per commit, ${concurrency} appends in flight`,
    unit: 'events/s',
    value: round(concurrent.value, 1),
    baseline: round(concurrent.baseline, 1),
    ratio: concurrent.ratio,
    baselineTitle: 'raw INSERT of identical rows, one transaction each (raw inserts have no group commit)',
    goal: null,
    measured: `${concurrency} appendToStream calls (1 event, new stream each) issued at once and awaited together, slice after slice, beside the same raw single-row transactions as append-single; shows what the adapter gains when concurrent requests append; medians of ${rounds} rounds, ratio the median of the rounds' ratios.`,
    details: { rounds: concurrent.details, eventBytes: avgBytes },
  });
  const batched = await measure(`batch ${batchSize}`, batchSize, maxBatches, 3, payloads);
  emit({
    id: 'append-batched',
    title: `events appended per second through the event-store port, ${batchSize} events per commit`,
    unit: 'events/s',
    value: round(batched.value, 1),
    baseline: round(batched.baseline, 1),
    ratio: batched.ratio,
    baselineTitle: `raw INSERTs of identical rows, ${batchSize} per transaction, same database settings`,
    goal: ratioAtLeast(0.7),
    measured: `appendToStream of ${batchSize} events to a new stream per commit, up to ${maxBatches} commits or ${timeMs / 1000} s per side per round, taking turns every 3 commits on fresh files; value and baseline are medians of ${rounds} rounds, the ratio the median of the rounds' ratios.`,
    details: { rounds: batched.details, eventBytes: avgBytes },
  });
}

runFigure(main);
