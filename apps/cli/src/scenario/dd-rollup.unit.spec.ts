import { describeRisks, expectedRollup, rollupMismatches } from './dd-rollup';
import { defaultScenarioPath, loadScenario } from './scenario';

const expected = expectedRollup(loadScenario(defaultScenarioPath()));

describe('the DD rollup expected at the top of the chain', () => {
  it('holds every mineral and each risk category’s worst level', () => {
    expect(expected).toEqual({
      minerals: ['cobalt', 'lithium', 'naturalGraphite', 'nickel'],
      highestRisk: { childLabour: 'medium', environment: 'medium', water: 'low', forcedLabour: 'high' },
    });
  });

  it('accepts a rollup in any mineral order and with extra categories', () => {
    expect(
      rollupMismatches(
        { minerals: ['nickel', 'naturalGraphite', 'lithium', 'cobalt'], highestRisk: { ...expected.highestRisk, other: 'none' } },
        expected,
      ),
    ).toEqual([]);
  });

  it('names what did not propagate', () => {
    expect(rollupMismatches({ minerals: ['cobalt'], highestRisk: {} }, expected)).toEqual([
      'minerals cobalt ≠ cobalt, lithium, naturalGraphite, nickel',
      'highestRisk.childLabour missing ≠ medium',
      'highestRisk.environment missing ≠ medium',
      'highestRisk.water missing ≠ low',
      'highestRisk.forcedLabour missing ≠ high',
    ]);
  });

  it('describes risks worst first', () => {
    expect(describeRisks(expected.highestRisk)).toBe('forcedLabour high, childLabour medium, environment medium, water low');
  });
});
