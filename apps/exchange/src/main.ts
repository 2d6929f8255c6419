import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createExchangeApp } from './bootstrap';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createExchangeApp(config);
  await app.listen(config.port, config.host);
  new Logger('Exchange').log(`embedded exchange listening on http://${config.host}:${config.port} (data in ${config.dataDir}); API docs at /docs`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
