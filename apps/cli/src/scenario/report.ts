import type { Total } from '@exchange/domain/stages';
import type { ScenarioResult, VisibilityProbe } from './context';
import { describeRisks } from './dd-rollup';
import { partByKey, topParts, type Scenario, type ScenarioPart } from './scenario';

/** Pure renderings of a played scenario for the terminal. */

const STAGE_LABELS: Array<[keyof Total, string]> = [
  ['rawMaterialAcquisition', 'raw material'],
  ['mainProduction', 'production'],
  ['distribution', 'distribution'],
  ['endOfLife', 'end of life'],
];

/** The supply chain as a tree from the end product down, each level with its total and stages. */
export function renderTree(scenario: Scenario, totals: Record<string, Total>): string[] {
  return topParts(scenario.parts).flatMap((root) => renderNode(scenario, totals, root, '', '', ''));
}

function renderNode(
  scenario: Scenario,
  totals: Record<string, Total>,
  part: ScenarioPart,
  quantity: string,
  firstPrefix: string,
  childPrefix: string,
): string[] {
  const lines = [`${firstPrefix}${quantity}${describePart(part, totals[part.key])}`];
  const bom = part.bom ?? [];
  bom.forEach((line, index) => {
    const last = index === bom.length - 1;
    const input = partByKey(scenario, line.part);
    lines.push(
      ...renderNode(
        scenario,
        totals,
        input,
        `${line.quantity} × `,
        `${childPrefix}${last ? '└── ' : '├── '}`,
        `${childPrefix}${last ? '    ' : '│   '}`,
      ),
    );
  });
  return lines;
}

function describePart(part: ScenarioPart, total: Total | undefined): string {
  const name = `${part.key} ${part.partNumber} (${part.owner})`;
  if (!total) return `${name}: no footprint`;
  const stages = STAGE_LABELS.map(([field, label]) => `${label} ${total[field]}`).join(' | ');
  return `${name}: ${total.value} kg CO2e per ${part.declaredUnit} [${stages}]`;
}

/** A fixed-width table: who read what, which status came back, and whether that was expected. */
export function renderVisibilityTable(probes: VisibilityProbe[]): string[] {
  const rows = probes.map((probe) => [
    probe.who,
    probe.what,
    String(probe.status ?? '-'),
    probe.expected.join('/'),
    probe.status !== undefined && probe.expected.includes(probe.status) ? 'ok' : 'UNEXPECTED',
  ]);
  return renderTable(['who', 'reads', 'got', 'expected', ''], rows);
}

export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)];
}

/** The closing summary of a demo: figures, DD rollup and every check. */
export function renderSummary(result: ScenarioResult): string[] {
  const { declaration } = result;
  const stages = Object.entries(declaration.cfpPerStage)
    .map(([stage, figure]) => `${stage} ${figure}`)
    .join(', ');
  return [
    `declaration ${declaration.submissionId}: ${declaration.cfpPerFunctionalUnit} kg CO2e/kWh (${stages})`,
    `DD rollup: minerals ${result.ddRollup.minerals.join(', ')}; highest risks ${describeRisks(result.ddRollup.highestRisk)}`,
    `revision: ${result.revision.partKey} v${result.revision.version}, total ${result.revision.total.value}`,
    ...Object.entries(result.checks).map(([name, ok]) => `${ok ? '✓' : '✗'} ${name}`),
  ];
}
