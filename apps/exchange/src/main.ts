import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { exitOnStartupFailure } from '@exchange/platform';
import { createExchangeApp } from './bootstrap';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createExchangeApp(config);
  await app.listen(config.port, config.host);
  const profile = config.inProcessWorkers ? 'embedded profile, all components in this process' : 'HTTP API only';
  new Logger('Exchange').log(`exchange listening on http://${config.host}:${config.port} (${profile}; data in ${config.dataDir}); API docs at /docs`);
}

main().catch(exitOnStartupFailure('exchange'));
