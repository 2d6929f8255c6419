import 'reflect-metadata';
import { bootDeployable, EnvReader, exitOnStartupFailure, readPlatformConfig } from '@exchange/platform';
import { NotifierAppModule } from './notifier-app.module';

export const notifierConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const reader = new EnvReader(env);
  return reader.done(readPlatformConfig(reader, { port: 3012, clientId: 'exchange-notifier' }));
};

if (require.main === module)
  bootDeployable(
    'notifier',
    () => notifierConfig(),
    (c) => NotifierAppModule.forRoot(c),
  ).catch(exitOnStartupFailure('notifier'));
