import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestExchange, type TestExchange } from '../../../test/support/test-exchange';
import { accessToken, buildChain, callExchange, driveChainOverHttp, signExtraFootprints, storeEventCount, writeChainToDataDir, type Chain } from '.';

async function reproduceAsAuditor(exchange: TestExchange, chain: Chain, token: string) {
  const answer = await callExchange(exchange.baseUrl, 'POST', `/v1/footprints/${chain.plan.root.id}/reproduce`, { token, body: {} });
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('a synthetic chain written straight into the store, then served by the exchange', () => {
  let dataDir: string;
  let exchange: TestExchange;
  let chain: Chain;
  let written: Awaited<ReturnType<typeof writeChainToDataDir>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'synthetic-chain-'));
    chain = await buildChain({ tiers: 4, fanIn: 3, footprints: 24, shape: 'tree', seed: 2024 });
    written = await writeChainToDataDir(dataDir, chain);
    exchange = await startTestExchange({ dataDir });
  });

  afterAll(async () => {
    await exchange?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('wrote the planned events', async () => {
    expect(written.events).toBe(storeEventCount(chain.plan));
    expect(await exchange.eventCount()).toBe(BigInt(written.events));
  });

  it('reproduces the whole chain for the auditor: every level recomputed, the expected total, matchesRecorded', async () => {
    const auditor = chain.plan.auditor!;
    const body = await reproduceAsAuditor(exchange, chain, await accessToken(exchange.baseUrl, auditor.id, auditor.clientSecret));
    expect(body).toMatchObject({ reproduced: true, matchesRecorded: true, total: chain.plan.root.total, payloadSha256: written.payloadSha256s[0] });
    expect(body.eventsReplayed).toBe(chain.plan.footprints.length);
    expect(body.levels.every((l: { recomputed: boolean }) => l.recomputed)).toBe(true);
  });

  it('verifies every signature and hash link', async () => {
    const auditor = chain.plan.auditor!;
    const answer = await callExchange(exchange.baseUrl, 'GET', `/v1/footprints/${chain.plan.root.id}/verify`, {
      token: await accessToken(exchange.baseUrl, auditor.id, auditor.clientSecret),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
  });

  it('takes a new signed footprint of the root part over HTTP, checked against the written history', async () => {
    const root = chain.plan.organizations.find((o) => o.id === chain.plan.root.issuer)!;
    const [extra] = await signExtraFootprints(chain, written.payloadSha256s, { count: 1 });
    const answer = await callExchange(exchange.baseUrl, 'POST', '/v1/footprints', {
      token: await accessToken(exchange.baseUrl, root.id, root.clientSecret),
      body: { jws: extra!.jws, derivation: extra!.derivation },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.payloadSha256).toBe(extra!.payloadSha256);
  });
});

describe('a synthetic chain driven over HTTP', () => {
  let exchange: TestExchange;

  beforeAll(async () => {
    exchange = await startTestExchange();
  });

  afterAll(() => exchange?.stop());

  it.each(['grant', 'request'] as const)(
    'is accepted level by level and reproduces with the expected total (lattice, read access by %s)',
    async (readAccess) => {
      const chain = await buildChain({ tiers: 3, fanIn: 2, footprints: 6, shape: 'lattice', orgsPerTier: 2, seed: readAccess === 'grant' ? 1 : 2 });
      const driven = await driveChainOverHttp({ baseUrl: exchange.baseUrl, operatorToken: exchange.operatorToken }, chain, { readAccess });
      const body = await reproduceAsAuditor(exchange, chain, driven.tokens.get(chain.plan.auditor!.id)!);
      expect(body).toMatchObject({ reproduced: true, matchesRecorded: true, total: chain.plan.root.total, payloadSha256: driven.payloadSha256s[0] });
    },
  );
});
