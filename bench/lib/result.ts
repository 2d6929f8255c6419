/** What a figure reports: one line `BENCH_RESULT <json>` on stdout per result, read by bench/run.ts. */

export type GoalOp = '>=' | '<=';

export interface Goal {
  /** What the goal is checked on: the ratio to the baseline, or the value itself. */
  on: 'ratio' | 'value';
  op: GoalOp;
  target: number;
  /** As printed, e.g. "≥ 0.5" or "≤ 1024 MiB". */
  text: string;
}

export interface FigureResult {
  id: string;
  title: string;
  unit: string;
  value: number | null;
  baseline: number | null;
  baselineTitle?: string;
  /** value / baseline when there is a baseline. */
  ratio: number | null;
  /** Null when the figure is reported without a goal. */
  goal: Goal | null;
  /** Whether the goal is met (null without a goal, or when the figure could not be measured). */
  ok: boolean | null;
  /** What exactly was measured, in a sentence (sizes, scaling, caveats). */
  measured: string;
  details?: Record<string, unknown>;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

export function checkGoal(goal: Goal | null, value: number | null, ratio: number | null): boolean | null {
  if (!goal) return null;
  const subject = goal.on === 'ratio' ? ratio : value;
  if (subject === null || !Number.isFinite(subject)) return null;
  return goal.op === '>=' ? subject >= goal.target : subject <= goal.target;
}

/** Completes `ratio` and `ok` and prints the result for the orchestrator. */
export function emit(result: Omit<FigureResult, 'ratio' | 'ok'> & { ratio?: number | null; ok?: boolean | null }): FigureResult {
  const ratio = result.ratio !== undefined ? result.ratio : result.value !== null && result.baseline ? result.value / result.baseline : null;
  const full: FigureResult = { ...result, ratio, ok: result.ok !== undefined ? result.ok : checkGoal(result.goal, result.value, ratio) };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(full)}\n`);
  return full;
}

export const ratioAtLeast = (target: number): Goal => ({ on: 'ratio', op: '>=', target, text: `ratio ≥ ${target}` });
export const valueAtMost = (target: number, text: string): Goal => ({ on: 'value', op: '<=', target, text });

/** Progress for humans, on stderr (the orchestrator passes it through), with the seconds since the process started. */
export function log(figure: string, message: string): void {
  process.stderr.write(`  [${figure} +${(performance.now() / 1000).toFixed(1)}s] ${message}\n`);
}
