import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where attack suites leave their rows; the summary reporter prints them as one table at the end of the run. */
export const ATTACK_TABLE_DIR = join(__dirname, '..', '..', '..', '.tmp', 'attack-table');

export interface AttackRow {
  /** The attack or fault, e.g. "alg: none on a footprint". */
  attack: string;
  /** What the exchange must answer, e.g. "422 unsupported-algorithm, no event". */
  expected: string;
  /** What it answered, in the same words when it held. */
  observed: string;
}

/**
 * Records one row of the attack table. Call it with what was observed whether or not the
 * expectation held, before asserting, so a failing row shows in the table too.
 */
export function recordAttack(row: AttackRow): void {
  mkdirSync(ATTACK_TABLE_DIR, { recursive: true });
  appendFileSync(join(ATTACK_TABLE_DIR, `${process.pid}.jsonl`), `${JSON.stringify({ ...row, ok: row.expected === row.observed })}\n`);
}

/** "<status> <code>" of a problem answer, or the status alone, the way rows describe answers. */
export function describeAnswer(answer: { status: number; body?: { code?: string } }, eventsAppended?: bigint): string {
  const code = answer.body?.code ? ` ${answer.body.code}` : '';
  const events = eventsAppended === undefined ? '' : eventsAppended === 0n ? ', no event' : `, ${eventsAppended} event(s)`;
  return `${answer.status}${code}${events}`;
}
