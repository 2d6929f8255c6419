const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const ATTACK_TABLE_DIR = join(__dirname, '..', '..', '.tmp', 'attack-table');

function attackTable() {
  if (!existsSync(ATTACK_TABLE_DIR)) return '';
  const rows = readdirSync(ATTACK_TABLE_DIR)
    .flatMap((file) =>
      readFileSync(join(ATTACK_TABLE_DIR, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    )
    .sort((a, b) => (a.attack < b.attack ? -1 : a.attack > b.attack ? 1 : 0));
  if (rows.length === 0) return '';
  const header = ['attack or fault', 'expected answer', 'observed answer', ''];
  const cells = rows.map((r) => [r.attack, r.expected, r.observed, r.ok ? 'ok' : 'MISMATCH']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return ['', `Attacks and faults (${rows.length}):`, line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), ''].join('\n');
}

/**
 * Prints the attack table the attack suites recorded, then the run's closing line in the plain
 * form CI reads, "N passed, N failed, N skipped", as the very last line of the output.
 */
class SummaryReporter {
  onRunStart() {
    rmSync(ATTACK_TABLE_DIR, { recursive: true, force: true });
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const table = attackTable();
    const line = `${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    process.once('exit', () => process.stderr.write(`${table}\n${line}\n`));
  }
}
module.exports = SummaryReporter;
