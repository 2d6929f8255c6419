import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EventStore } from '@exchange/event-store';
import { RefusalLog } from '../../apps/exchange/src/access/refusal-log';
import { createExchangeApp } from '../../apps/exchange/src/bootstrap';
import { configFromEnv } from '../../apps/exchange/src/config';

export interface TestExchange {
  baseUrl: string;
  operatorToken: string;
  dataDir: string;
  app: NestExpressApplication;
  /** Global position of the last committed event: refusals must leave it unchanged. */
  eventCount(): Promise<bigint>;
  /** Refused reads recorded in the refusal log (apart from the event store: they move no position). */
  refusalCount(): Promise<bigint>;
  stop(): Promise<void>;
}

/** Starts the embedded exchange in this process on 127.0.0.1 and a free port, with a fresh data directory. */
export async function startTestExchange(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestExchange> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'exchange-test-'));
  const operatorToken = 'test-operator-token-0123456789';
  const config = configFromEnv({ DATA_DIR: dataDir, PORT: '0', EXCHANGE_OPERATOR_TOKEN: operatorToken, ...options.env });
  const app = await createExchangeApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    operatorToken,
    dataDir,
    app,
    eventCount: () => app.get(EventStore).headPosition(),
    refusalCount: () => app.get(RefusalLog).recordedCount(),
    async stop() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
