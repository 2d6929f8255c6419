/**
 * `npm run bench [-- --quick] [-- --only=http,append,...]`: runs every figure in its own Node
 * process, each beside its own baseline, prints a table and writes bench/results/latest.json.
 */
import { execSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, platform, release, arch } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './lib/args';
import { REPO_ROOT, TS_NODE_ARGS } from './lib/exchange-child';
import { checkGoal, RESULT_PREFIX, valueAtMost, type FigureResult } from './lib/result';
import { MiB, powerLawFit, round } from './lib/stats';

const args = parseArgs();
const quick = args.quick;
const only = args.options.get('only')?.split(',');

interface FigureRun {
  /** Name for --only and the log. */
  name: string;
  script: string;
  args: string[];
  /** The process is killed (with everything it started) after this long. */
  timeoutMs: number;
}

const REPRODUCE_SIZES = quick ? [1000, 3000, 10_000] : [1000, 10_000, 100_000];
const REPRODUCE_ROUNDS = (size: number) => (quick ? (size <= 3000 ? 2 : 1) : size <= 10_000 ? 3 : 1);

const FIGURES: FigureRun[] = [
  { name: 'http', script: 'figures/http.ts', args: [], timeoutMs: quick ? 120_000 : 600_000 },
  { name: 'append', script: 'figures/append.ts', args: [], timeoutMs: quick ? 90_000 : 300_000 },
  ...REPRODUCE_SIZES.map((size) => ({
    name: `reproduce-${size}`,
    script: 'figures/reproduce.ts',
    args: [
      '--footprints',
      String(size),
      '--rounds',
      String(REPRODUCE_ROUNDS(size)),
      ...(size === 10_000 && !quick ? ['--catch-up'] : []),
      '--timeoutMs',
      String(quick ? 60_000 : 1_800_000),
    ],
    timeoutMs: quick ? 120_000 : 3_600_000,
  })),
  { name: 'lattice', script: 'figures/lattice.ts', args: [], timeoutMs: quick ? 90_000 : 600_000 },
  { name: 'memory', script: 'figures/memory.ts', args: [], timeoutMs: quick ? 150_000 : 1_800_000 },
];

/** Runs one figure script; resolves with the results it printed (and whether it failed). */
function runFigure(figure: FigureRun): Promise<{ results: FigureResult[]; error?: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...TS_NODE_ARGS, join('bench', figure.script), ...(quick ? ['--quick'] : []), ...figure.args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, so a timeout ends the exchange it started too
    });
    const results: FigureResult[] = [];
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
        else if (line.trim()) process.stderr.write(`  [${figure.name}] ${line}\n`);
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, figure.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (timedOut) resolve({ results, error: `timed out after ${figure.timeoutMs / 1000} s`, ms });
      else if (code !== 0) resolve({ results, error: `exited with ${code ?? signal}`, ms });
      else resolve({ results, ms });
    });
  });
}

/** The combined figure: exponent of reproduce time (and peak memory) vs footprints, least squares on log-log. */
function scalingFigure(results: FigureResult[]): FigureResult | undefined {
  const points = REPRODUCE_SIZES.map((size) => results.find((r) => r.id === `reproduce-${size}`)).filter(
    (r): r is FigureResult => r !== undefined && r.value !== null && r.value > 0,
  );
  const timedOut = results.some(
    (r) => r.id.startsWith('reproduce-') && r.id !== 'reproduce-lattice' && (r.details as { timedOut?: boolean } | undefined)?.timedOut,
  );
  const sizes = points.map((r) => Number((r.details as { footprints: number }).footprints));
  const time = powerLawFit(
    sizes,
    points.map((r) => r.value!),
  );
  const peaks = points.map((r) => Number((r.details as { peakRssDeltaMiB: number }).peakRssDeltaMiB));
  const memory = peaks.every((p) => p > 0) ? powerLawFit(sizes, peaks) : { exponent: NaN, r2: NaN };
  const value = points.length >= 2 ? round(time.exponent, 3) : null;
  const goal = valueAtMost(1.1, 'exponent ≤ 1.1');
  return {
    id: 'reproduce-scaling',
    title: 'reproduce time vs chain size (12 tiers, fan-in 8): fitted exponent',
    unit: 'exponent',
    value,
    baseline: null,
    ratio: null,
    goal,
    ok: timedOut ? false : checkGoal(goal, value, null),
    measured: `least squares of ln(time) on ln(footprints) over ${sizes.join(', ')} footprints (${points.map((r) => `${r.value} s`).join(', ')}); r² ${round(time.r2, 3)}. Peak RSS growth during reproduce: exponent ${round(memory.exponent, 3)} (${peaks.map((p) => `+${p} MiB`).join(', ')}).${timedOut ? ' A size timed out.' : ''}`,
    details: {
      sizes,
      seconds: points.map((r) => r.value),
      timeR2: round(time.r2, 3),
      peakRssDeltaMiB: peaks,
      memoryExponent: round(memory.exponent, 3),
      peakRssMiB: points.map((r) => (r.details as { peakRssMiB: number }).peakRssMiB),
    },
  };
}

/** The replay headline: the largest size measured, with the goal; every size stays in the details. */
function replayFigure(results: FigureResult[]): FigureResult | undefined {
  const replays = results.filter((r) => /^replay-\d+$/.test(r.id) && r.value !== null);
  const largest = replays.sort((a, b) => Number(b.id.split('-')[1]) - Number(a.id.split('-')[1]))[0];
  if (!largest) return undefined;
  const goal = { on: 'ratio' as const, op: '>=' as const, target: 0.5, text: 'ratio ≥ 0.5' };
  return {
    ...largest,
    id: 'replay',
    title: `events replayed per second by reproduce (${largest.id.split('-')[1]} footprints)`,
    goal,
    ok: checkGoal(goal, largest.value, largest.ratio),
    details: { ...largest.details, bySize: replays.map((r) => ({ id: r.id, value: r.value, baseline: r.baseline, ratio: round(r.ratio, 4) })) },
  };
}

const fmt = (v: number | null | undefined, unit = '') => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const text = abs >= 1000 ? Math.round(v).toLocaleString('en-US') : abs >= 10 ? v.toFixed(1) : abs >= 0.01 ? v.toFixed(3) : v.toPrecision(2);
  return unit ? `${text} ${unit}` : text;
};

function printTable(results: FigureResult[]): void {
  const header = ['figure', 'value', 'baseline', 'ratio', 'goal', 'ok'];
  const rows = results.map((r) => [
    r.id,
    fmt(r.value, r.unit),
    fmt(r.baseline, r.baseline === null ? '' : r.unit),
    fmt(r.ratio),
    r.goal?.text ?? 'report',
    r.ok === null ? '—' : r.ok ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line), ''].join('\n'));
}

function machine() {
  const git = (command: string) => {
    try {
      return execSync(command, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      return undefined;
    }
  };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    totalMemoryMiB: Math.round(totalmem() / MiB),
    commit: git('git rev-parse HEAD'),
    /** What the measured tree had beyond the commit (others may be editing while the bench runs). */
    uncommittedChanges: git('git status --porcelain')
      ?.split('\n')
      .filter(Boolean)
      .map((line) => line.trim()),
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  const loadAtStart = loadavg();
  const machineAtStart = machine();
  const selected = FIGURES.filter((f) => !only || only.some((o) => f.name === o || f.name.startsWith(`${o}-`)));
  console.error(
    `bench (${quick ? 'quick' : 'full'}): ${selected.map((f) => f.name).join(', ')}; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const results: FigureResult[] = [];
  const runs = [];
  for (const figure of selected) {
    const loadBefore = loadavg()[0]!;
    console.error(`▶ ${figure.name}`);
    const run = await runFigure(figure);
    runs.push({
      name: figure.name,
      seconds: round(run.ms / 1000, 1),
      loadAverageBefore: round(loadBefore, 2),
      loadAverageAfter: round(loadavg()[0], 2),
      ...(run.error && { error: run.error }),
    });
    console.error(`  ${figure.name}: ${(run.ms / 1000).toFixed(1)} s${run.error ? ` — ${run.error}` : ''}`);
    results.push(...run.results);
  }
  const headline: FigureResult[] = [];
  const byId = (id: string) => results.find((r) => r.id === id);
  const push = (r: FigureResult | undefined) => r && headline.push(r);
  push(byId('submissions-http'));
  push(byId('append-single'));
  push(byId('append-batched'));
  push(byId('append-concurrent'));
  push(replayFigure(results));
  push(scalingFigure(results));
  push(byId('memory-1m-events'));
  push(byId('submission-latency-p50'));
  push(byId('submission-latency-p99'));
  push(byId('load-shedding'));
  const rest = results.filter((r) => !headline.some((h) => h.id === r.id));
  const all = [...headline, ...rest];
  printTable(all);
  const durationSeconds = round((performance.now() - t0) / 1000, 1);
  const failed = runs.filter((r) => r.error);
  const report = {
    mode: quick ? 'quick' : 'full',
    startedAt: started.toISOString(),
    durationSeconds,
    machine: { ...machineAtStart, loadAverageAtStart: loadAtStart.map((l) => round(l, 2)), loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
    figures: all,
    runs,
  };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const missed = all.filter((r) => r.ok === false).map((r) => r.id);
  console.log(
    `${all.length} figures in ${durationSeconds} s; goal missed: ${missed.length ? missed.join(', ') : 'none'}${failed.length ? `; FAILED: ${failed.map((f) => `${f.name} (${f.error})`).join(', ')}` : ''}; written bench/results/latest.json`,
  );
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
