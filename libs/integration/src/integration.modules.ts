import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { PLATFORM_CONFIG, Readiness, type PlatformConfig } from '@exchange/platform';
import { Notifier } from './notifier';
import { ProcessedMessages, SqliteProcessedMessages } from './processed-messages';
import { Relay } from './relay';

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: Relay,
    readiness: Readiness,
  ) {
    readiness.register('relay', () => relay.healthy);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}

/** The relay: committed events → the events topic. */
@Module({ providers: [Relay, RelayLifecycle], exports: [Relay] })
export class RelayModule {}

@Injectable()
class NotifierLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly notifier: Notifier,
    private readonly processed: ProcessedMessages,
    readiness: Readiness,
  ) {
    readiness.register('notifier', () => notifier.running);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.notifier.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.notifier.stop();
  }

  onApplicationShutdown(): void {
    this.processed.close();
  }
}

/** The notifier: the events topic → each organization's signed inbox. */
@Module({
  providers: [
    {
      provide: ProcessedMessages,
      inject: [PLATFORM_CONFIG],
      useFactory: (config: PlatformConfig) => new SqliteProcessedMessages(join(config.dataDir, 'notifier.sqlite')),
    },
    Notifier,
    NotifierLifecycle,
  ],
  exports: [Notifier],
})
export class NotifierModule {}
