import { Logger, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { dataDirectoriesOf, secureDataDirectories } from './data-directory';
import { InvalidConfigurationError } from './env';
import type { PlatformConfig } from './platform-config';

/**
 * Starts one deployable: reads and validates its configuration (refusing to start on an invalid
 * one), makes its data directories owner-only, serves its liveness and readiness probes on HOST:PORT, and shuts down gracefully on
 * SIGTERM/SIGINT (workers finish what is in flight and store their checkpoints first).
 */
export async function bootDeployable<C extends PlatformConfig>(
  name: string,
  readConfig: () => C,
  moduleFor: (config: C) => DynamicModule,
  options: { logger?: false } = {},
): Promise<INestApplication> {
  const config = readConfig();
  secureDataDirectories(dataDirectoriesOf(config), { warn: (message) => new Logger(name).warn(message) });
  const app = await NestFactory.create(moduleFor(config), options.logger === false ? { logger: false } : {});
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger(name).log(`${name} up; probes at http://${config.host}:${config.port}/health/live and /health/ready`);
  return app;
}

/** The entry point's error handling: a configuration problem is printed plainly and exits 78 (EX_CONFIG). */
export function exitOnStartupFailure(name: string) {
  return (error: unknown) => {
    if (error instanceof InvalidConfigurationError) {
      console.error(`${name}: refusing to start: ${error.message}`);
      process.exit(78);
    }
    console.error(`${name}: failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  };
}
