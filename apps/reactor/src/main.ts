import 'reflect-metadata';
import { bootDeployable, EnvReader, exitOnStartupFailure, readPlatformConfig } from '@exchange/platform';
import { ReactorAppModule } from './reactor-app.module';

export const reactorConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const reader = new EnvReader(env);
  return reader.done(readPlatformConfig(reader, { port: 3013, clientId: 'exchange-reactor' }));
};

if (require.main === module)
  bootDeployable(
    'reactor',
    () => reactorConfig(),
    (c) => ReactorAppModule.forRoot(c),
  ).catch(exitOnStartupFailure('reactor'));
