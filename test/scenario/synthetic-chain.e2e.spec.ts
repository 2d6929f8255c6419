import { runSyntheticChain } from '../../apps/cli/src/commands/synthetic';
import { startTestExchange, type TestExchange } from '../support/test-exchange';

/** `cli synthetic`: a generated chain submitted over the public API reproduces to the total planned in advance. */
describe('synthetic chain over HTTP (e2e)', () => {
  let exchange: TestExchange;
  beforeAll(async () => {
    exchange = await startTestExchange();
  });
  afterAll(() => exchange?.stop());

  it.each([
    ['tree', { tiers: 4, fanIn: 3, seed: 7 }],
    ['lattice', { tiers: 3, fanIn: 2, shape: 'lattice' as const, seed: 8 }],
  ])(
    'a %s chain reproduces exactly and verifies',
    async (_shape, spec) => {
      const run = await runSyntheticChain({ baseUrl: exchange.baseUrl, operatorToken: exchange.operatorToken, spec });
      expect(run.reproduced).toMatchObject({ status: 200, matchesRecorded: true, total: run.expectedTotal });
      expect(run.verified).toEqual({ status: 200, ok: true });
      expect(run.holds).toBe(true);
    },
    60_000,
  );
});
