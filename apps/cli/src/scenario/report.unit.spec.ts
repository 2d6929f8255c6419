import { aggregateTotal, type Total } from '@exchange/domain/stages';
import type { VisibilityProbe } from './context';
import { progressLine } from './play-scenario';
import { renderTable, renderTree, renderVisibilityTable } from './report';
import { defaultScenarioPath, loadScenario, partsBottomUp, withDeclaredPart } from './scenario';

const chain = withDeclaredPart(loadScenario(defaultScenarioPath()));
const totals: Record<string, Total> = {};
for (const part of partsBottomUp(chain.parts)) {
  totals[part.key] = aggregateTotal(
    part.own,
    (part.bom ?? []).map((line) => ({ quantity: line.quantity, total: totals[line.part] })),
  );
}

describe('the chain tree', () => {
  const lines = renderTree(chain, totals);

  it('runs from the vehicle battery down to the raw materials, with connectors', () => {
    expect(lines.map((line) => line.replace(/ \(.*$/, ''))).toEqual([
      'vehicle-battery MM-BP-75',
      '└── 1 × pack BP-75',
      '    └── 411 × cell PC-50AH',
      '        ├── 0.28 × nmc811 CAM-811',
      '        │   ├── 1.4 × niso4 NS-6H2O',
      '        │   ├── 0.5 × niso4-recycled RNS-BM',
      '        │   ├── 0.24 × coso4 CS-7H2O',
      '        │   └── 0.38 × li2co3 LC-BG-99.5',
      '        └── 0.17 × graphite SG-A1',
    ]);
  });

  it('shows each level’s total value and its four stages', () => {
    expect(lines[1]).toBe(
      '└── 1 × pack BP-75 (nagoya-pack): 5624.85248 kg CO2e per piece ' +
        '[raw material 1884.61428 | production 3525.32184 | distribution 174.91636 | end of life 40]',
    );
    expect(lines[3]).toContain('nmc811 CAM-811 (kanto-cathode): 25.206 kg CO2e per kilogram');
  });

  it('says so where a part has no footprint', () => {
    expect(renderTree(chain, {})[0]).toBe('vehicle-battery MM-BP-75 (mirai-motors): no footprint');
  });
});

describe('tables and progress lines', () => {
  it('pads columns to the widest cell', () => {
    expect(renderTable(['a', 'bb'], [['long', 'x']])).toEqual(['a     bb', '----  --', 'long  x']);
  });

  it('marks probes whose status was not the expected one', () => {
    const probes: VisibilityProbe[] = [
      { who: 'mirai-motors', what: 'BP-75 document', path: '/p', expected: [200], status: 200 },
      { who: 'mirai-motors', what: 'BP-75 derivation', path: '/d', expected: [403, 404], status: 200 },
    ];
    const [, , first, second] = renderVisibilityTable(probes);
    expect(first).toMatch(/^mirai-motors\s+BP-75 document\s+200\s+200\s+ok$/);
    expect(second).toMatch(/200\s+403\/404\s+UNEXPECTED$/);
  });

  it('numbers steps padded to the width of the total', () => {
    expect(progressLine(7, 42, 'kanto-cathode answers 2 requests for CAM-811', 'footprint v1, total 25.206')).toBe(
      '[ 7/42] kanto-cathode answers 2 requests for CAM-811 (footprint v1, total 25.206)',
    );
    expect(progressLine(12, 42, 'check')).toBe('[12/42] check');
  });
});
