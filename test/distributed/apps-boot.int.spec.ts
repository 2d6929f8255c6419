import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { bootDeployable } from '@exchange/platform';
import { NotifierAppModule } from '../../apps/notifier/src/notifier-app.module';
import { notifierConfig } from '../../apps/notifier/src/main';
import { ReactorAppModule } from '../../apps/reactor/src/reactor-app.module';
import { reactorConfig } from '../../apps/reactor/src/main';
import { RelayAppModule } from '../../apps/relay/src/relay-app.module';
import { relayConfig } from '../../apps/relay/src/main';
import { startTestExchange } from '../support/test-exchange';

const baseUrlOf = (app: INestApplication) => `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

async function probes(baseUrl: string) {
  const [live, ready] = await Promise.all([fetch(`${baseUrl}/health/live`), fetch(`${baseUrl}/health/ready`)]);
  return { live: live.status, ready: ready.status, checks: ((await ready.json()) as { checks: Record<string, boolean> }).checks };
}

describe('every deployable boots on the embedded adapters and answers its probes', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'exchange-apps-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const env = () => ({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });

  it.each([
    [
      'relay',
      () =>
        bootDeployable(
          'relay',
          () => relayConfig(env()),
          (c) => RelayAppModule.forRoot(c),
          { logger: false },
        ),
      ['event-store', 'relay'],
    ],
    [
      'notifier',
      () =>
        bootDeployable(
          'notifier',
          () => notifierConfig(env()),
          (c) => NotifierAppModule.forRoot(c),
          { logger: false },
        ),
      ['event-store', 'notifier'],
    ],
    [
      'reactor',
      () =>
        bootDeployable(
          'reactor',
          () => reactorConfig(env()),
          (c) => ReactorAppModule.forRoot(c),
          { logger: false },
        ),
      ['event-store', 'reactions'],
    ],
  ] as const)('%s', async (_name, boot, expectedChecks) => {
    const app = await boot();
    try {
      const answer = await probes(baseUrlOf(app));
      expect(answer).toEqual({ live: 200, ready: 200, checks: Object.fromEntries(expectedChecks.map((c) => [c, true])) });
    } finally {
      await app.close();
    }
  });

  it('exchange (the embedded profile runs every component in one process)', async () => {
    const exchange = await startTestExchange({ dataDir });
    try {
      const answer = await probes(exchange.baseUrl);
      expect(answer).toEqual({
        live: 200,
        ready: 200,
        checks: { 'event-store': true, 'read-model': true, reactions: true, relay: true, notifier: true },
      });
      expect((await fetch(`${exchange.baseUrl}/health`)).status).toBe(200);
    } finally {
      await exchange.app.close();
    }
  });

  it('a deployable refuses to start on an invalid configuration', async () => {
    await expect(
      bootDeployable(
        'relay',
        () => relayConfig({ ...env(), KAFKA_BROKERS: 'nonsense' }),
        (c) => RelayAppModule.forRoot(c),
        { logger: false },
      ),
    ).rejects.toThrow(/KAFKA_BROKERS/);
  });
});
