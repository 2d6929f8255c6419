import { ExchangeClient } from '../../apps/cli/src/exchange-client';
import { playScenario, type ScenarioResult } from '../../apps/cli/src/scenario/play-scenario';
import { defaultScenarioPath, loadScenario } from '../../apps/cli/src/scenario/scenario';
import { startTestExchange } from '../support/test-exchange';

/** The whole battery chain, played over HTTP against a freshly started exchange. */
describe('battery chain scenario (e2e)', () => {
  const scenario = loadScenario(defaultScenarioPath());
  let exchange: Awaited<ReturnType<typeof startTestExchange>>;
  let result: ScenarioResult;
  const progress: string[] = [];

  beforeAll(async () => {
    exchange = await startTestExchange();
    result = await playScenario({
      baseUrl: exchange.baseUrl,
      operatorToken: exchange.operatorToken,
      scenario,
      log: (line) => progress.push(line),
    });
  }, 120_000);

  afterAll(async () => {
    await exchange?.stop();
  });

  it('logs one numbered line per step', () => {
    expect(progress.length).toBeGreaterThan(40);
    expect(progress[0]).toMatch(/^\[ ?1\/\d+\] operator registers andes-lithium/);
  });

  it.each(['nmc811', 'cell', 'pack'])('reaches the expected %s total exactly', (partKey) => {
    expect(result.totals[partKey]).toEqual(scenario.expected[partKey]);
  });

  it('gives the vehicle battery the pack’s total (one pack, zero own emissions)', () => {
    expect(result.totals['vehicle-battery']).toEqual(scenario.expected.pack);
  });

  it('declares the expected CFP per functional unit and per stage', () => {
    expect(result.declaration).toMatchObject(scenario.expected.declaration);
    expect(result.submissionId).toBe(result.declaration.submissionId);
  });

  it('passes every check: reproduction, verification, local signature checks, acknowledgement, notices, rollup, visibility', () => {
    expect(result.checks).toEqual({
      totalsMatchExpected: true,
      reproduced: true,
      verified: true,
      declarationMatchesExpected: true,
      declarationSignatureVerified: true,
      receiptSignatureVerified: true,
      acknowledged: true,
      inputSupersededNotified: true,
      ddRollupPropagated: true,
      visibilityAsExpected: true,
    });
  });

  it('shows the submission acknowledged to the issuer and the regulator alike', async () => {
    for (const key of [scenario.declaration.issuer, scenario.declaration.regulator]) {
      const client = await clientOf(key);
      const submission = await client.get<{ status: string }>(`/v1/submissions/${result.submissionId}`);
      expect(submission.status).toBe('acknowledged');
    }
  });

  it('tells the cathode maker that its cobalt input was superseded, while its footprint keeps pinning version 1', async () => {
    const kanto = await clientOf('kanto-cathode');
    const events = await kanto.listAll<{ type: string; data: Record<string, unknown> }>('/v1/events');
    const notice = events.find((event) => event.type === 'footprint.input-superseded');
    expect(notice?.data).toMatchObject({ footprintId: result.revision.footprintId, version: 1, supersededBy: 2 });
    expect(result.revision.version).toBe(2);
    const cathode = await kanto.get<{ footprintId: string; derivation: { inputs: Array<{ footprintId: string; version: number }> } }>(
      `/v1/footprints/${result.parts.nmc811.footprintId}/derivation`,
    );
    expect(cathode.derivation.inputs).toContainEqual(expect.objectContaining({ footprintId: result.revision.footprintId, version: 1 }));
  });

  /** A fresh session for one of the scenario's organizations. */
  function clientOf(key: string): Promise<ExchangeClient> {
    const { clientId, clientSecret } = result.organizations[key];
    return ExchangeClient.authenticate(exchange.baseUrl, clientId, clientSecret);
  }
});
