import 'reflect-metadata';
import { bootDeployable, EnvReader, exitOnStartupFailure, readPlatformConfig } from '@exchange/platform';
import { RelayAppModule } from './relay-app.module';

export const relayConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const reader = new EnvReader(env);
  return reader.done(readPlatformConfig(reader, { port: 3011, clientId: 'exchange-relay' }));
};

if (require.main === module)
  bootDeployable(
    'relay',
    () => relayConfig(),
    (c) => RelayAppModule.forRoot(c),
  ).catch(exitOnStartupFailure('relay'));
