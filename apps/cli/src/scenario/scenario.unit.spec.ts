import {
  bomRelationships,
  DECLARED_PART_KEY,
  defaultScenarioPath,
  expectedTotals,
  loadScenario,
  partsBottomUp,
  topParts,
  withDeclaredPart,
  type ScenarioPart,
} from './scenario';

const scenario = loadScenario(defaultScenarioPath());

describe('the battery-chain scenario as the CLI reads it', () => {
  it('adds the OEM’s own part: one pack per vehicle battery, zero own emissions', () => {
    const declared = withDeclaredPart(scenario).parts.find((part) => part.key === DECLARED_PART_KEY);
    expect(declared).toEqual({
      key: 'vehicle-battery',
      owner: 'mirai-motors',
      partNumber: 'MM-BP-75',
      name: 'Vehicle battery MM-BP-75',
      declaredUnit: 'piece',
      own: { rawMaterialAcquisition: '0', mainProduction: '0', distribution: '0', endOfLife: '0' },
      bom: [{ part: 'pack', quantity: '1' }],
    });
    expect(withDeclaredPart(withDeclaredPart(scenario)).parts).toHaveLength(scenario.parts.length + 1);
  });

  it('finds the single end product before and after the declared part is added', () => {
    expect(topParts(scenario.parts).map((part) => part.key)).toEqual(['pack']);
    expect(topParts(withDeclaredPart(scenario).parts).map((part) => part.key)).toEqual([DECLARED_PART_KEY]);
  });

  it('orders parts so that every input comes before the part that uses it', () => {
    const ordered = partsBottomUp(withDeclaredPart(scenario).parts).map((part) => part.key);
    expect(ordered).toEqual(['li2co3', 'niso4', 'coso4', 'niso4-recycled', 'graphite', 'nmc811', 'cell', 'pack', DECLARED_PART_KEY]);
  });

  it('refuses a BOM cycle', () => {
    const own = scenario.parts[0].own;
    const cyclic: ScenarioPart[] = [
      { key: 'a', owner: 'x', partNumber: 'A', name: 'A', declaredUnit: 'piece', own, bom: [{ part: 'b', quantity: '1' }] },
      { key: 'b', owner: 'x', partNumber: 'B', name: 'B', declaredUnit: 'piece', own, bom: [{ part: 'a', quantity: '1' }] },
    ];
    expect(() => partsBottomUp(cyclic)).toThrow(/cycle/);
  });

  it('lists one supplier relationship per BOM line, the OEM’s included', () => {
    const relationships = bomRelationships(withDeclaredPart(scenario).parts);
    expect(relationships).toHaveLength(8);
    expect(relationships.map(({ buyer, line }) => `${buyer.key}<-${line.part}`)).toContain(`${DECLARED_PART_KEY}<-pack`);
  });

  it('takes the expected totals of parts only', () => {
    expect(Object.keys(expectedTotals(scenario))).toEqual(['nmc811', 'cell', 'pack']);
  });
});
