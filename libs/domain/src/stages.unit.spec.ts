import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { perFunctionalUnit } from './aggregates/submission';
import { add, multiply } from './decimal';
import { aggregateTotal, firstMismatch, STAGES, type StageFigures, type Total, type WeightedInput } from './stages';

interface ScenarioPart {
  key: string;
  own: StageFigures;
  bom?: { part: string; quantity: string }[];
}
interface Scenario {
  parts: ScenarioPart[];
  declaration: { energyOverServiceLifeKWh: string };
  expected: Record<'nmc811' | 'cell' | 'pack', Total> & { declaration: ReturnType<typeof perFunctionalUnit> };
}

/** The shared battery-chain scenario lives beside the repository, as for apps/cli's defaultScenarioPath. */
const scenario: Scenario = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'shared', 'scenarios', 'battery-chain.json'), 'utf8'));

/** Version 1 of every footprint of the chain: own plus Σ quantity × the input's total. */
function chainTotal(key: string): Total {
  const part = scenario.parts.find((p) => p.key === key);
  if (!part) throw new Error(`the scenario has no part ${key}`);
  return aggregateTotal(
    part.own,
    (part.bom ?? []).map((line) => ({ quantity: line.quantity, total: chainTotal(line.part) })),
  );
}

const ZERO: StageFigures = { rawMaterialAcquisition: '0', mainProduction: '0', distribution: '0', endOfLife: '0' };
/** A non-negative figure with up to 6 decimals (trailing zeros included), built from digits, never from floats. */
const figure = fc.tuple(fc.nat({ max: 10_000_000 }), fc.integer({ min: 0, max: 6 })).map(([units, scale]) => {
  const digits = String(units).padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
});
const figures = fc.record({ rawMaterialAcquisition: figure, mainProduction: figure, distribution: figure, endOfLife: figure });
const weightedInput: fc.Arbitrary<WeightedInput> = fc.record({ quantity: figure, total: figures });

describe('stage aggregation', () => {
  it.each(['nmc811', 'cell', 'pack'] as const)("gives the scenario's %s total exactly", (key) => {
    expect(chainTotal(key)).toEqual(scenario.expected[key]);
  });

  it("gives the scenario's declaration figures per functional unit, from the vehicle battery (one pack, no own emissions)", () => {
    const vehicleBattery = aggregateTotal(ZERO, [{ quantity: '1', total: chainTotal('pack') }]);
    expect(vehicleBattery).toEqual(scenario.expected.pack);
    expect(perFunctionalUnit(vehicleBattery, scenario.declaration.energyOverServiceLifeKWh)).toEqual(scenario.expected.declaration);
  });

  it('makes value the sum of the stages, each stage own + Σ quantity × input', () =>
    fc.assert(
      fc.property(figures, fc.array(weightedInput, { maxLength: 5 }), (own, inputs) => {
        const total = aggregateTotal(own, inputs);
        for (const stage of STAGES) expect(total[stage]).toBe(add(own[stage], ...inputs.map((i) => multiply(i.quantity, i.total[stage]))));
        expect(total.value).toBe(add(...STAGES.map((stage) => total[stage])));
      }),
    ));

  it('does not depend on the order of the inputs', () =>
    fc.assert(
      fc.property(figures, fc.array(weightedInput, { maxLength: 5 }), (own, inputs) => {
        expect(aggregateTotal(own, [...inputs].reverse())).toEqual(aggregateTotal(own, inputs));
      }),
    ));

  it('is unchanged by an input of quantity zero', () =>
    fc.assert(
      fc.property(figures, weightedInput, (own, input) => {
        expect(aggregateTotal(own, [input, { quantity: '0', total: input.total }])).toEqual(aggregateTotal(own, [input]));
      }),
    ));

  it('names the first figure that differs, in stage order then value', () => {
    const expected = scenario.expected.nmc811;
    expect(firstMismatch(expected, expected)).toBeNull();
    expect(firstMismatch({ ...expected, distribution: '0.94201', value: '25' }, expected)).toEqual({
      field: 'distribution',
      expected: '0.942',
      claimed: '0.94201',
    });
    expect(firstMismatch({ ...expected, value: '25.2060' }, expected)).toEqual({ field: 'value', expected: '25.206', claimed: '25.2060' });
  });
});
