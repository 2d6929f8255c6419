import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { EventStore } from '@exchange/event-store';
import { EventStoreDbEventStore } from '@exchange/event-store/eventstoredb';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { InProcessMessageBus, KafkaMessageBus, MessageBus } from '@exchange/messaging';
import { ExchangeKeyRing } from '@exchange/signing';
import { HealthModule, Readiness } from './health';
import type { PlatformConfig } from './platform-config';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

function openEventStore(config: PlatformConfig): Promise<EventStore> | EventStore {
  if (config.eventStoreConnectionString) return EventStoreDbEventStore.connect(config.eventStoreConnectionString);
  return SqliteEventStore.open(join(config.dataDir, 'events.sqlite'));
}

function openMessageBus(config: PlatformConfig): Promise<MessageBus> | MessageBus {
  if (config.kafkaBrokers) return KafkaMessageBus.connect({ brokers: config.kafkaBrokers, clientId: config.kafkaClientId });
  return new InProcessMessageBus();
}

/** Closes the store and the bus last, after every component stopped (their checkpoints committed). */
@Injectable()
class InfrastructureCloser implements OnApplicationShutdown {
  constructor(
    private readonly store: EventStore,
    private readonly bus: MessageBus,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.store.close();
  }
}

@Injectable()
class InfrastructureReadiness {
  constructor(readiness: Readiness, store: EventStore, @Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    readiness.register('event-store', () => store.headPosition().then(() => true));
    new Logger('Platform').log(
      `event store: ${config.eventStoreConnectionString ? 'EventStoreDB' : `embedded SQLite in ${config.dataDir}`}; messages: ${config.kafkaBrokers ? `Kafka ${config.kafkaBrokers.join(',')}` : 'in-process'}`,
    );
  }
}

/**
 * The adapters behind the ports, chosen by configuration: the embedded profile (SQLite, in-process
 * bus) when nothing points elsewhere, EventStoreDB and Kafka when their addresses are set.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [HealthModule],
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: EventStore, useFactory: () => openEventStore(config) },
        { provide: MessageBus, useFactory: () => openMessageBus(config) },
        { provide: ExchangeKeyRing, useFactory: () => ExchangeKeyRing.loadOrCreate(config.keysDir, { issuer: config.issuer }) },
        InfrastructureCloser,
        InfrastructureReadiness,
      ],
      exports: [PLATFORM_CONFIG, EventStore, MessageBus, ExchangeKeyRing, HealthModule],
    };
  }
}
