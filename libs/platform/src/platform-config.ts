import { EnvReader, brokerListProblem, eventStoreConnectionProblem } from './env';

/** What every deployable of the exchange reads: where events live, where messages go, its health port. */
export interface PlatformConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Set: the EventStoreDB adapter; unset: the embedded SQLite store in `dataDir`. */
  eventStoreConnectionString?: string;
  /** Set: Kafka; unset: the in-process bus. */
  kafkaBrokers?: string[];
  kafkaClientId: string;
  issuer: string;
  /** Where the exchange's signing keys live (tokens, receipts, inbox envelopes). */
  keysDir: string;
}

export function readPlatformConfig(env: EnvReader, defaults: { port: number; clientId: string }): PlatformConfig {
  const dataDir = env.directory('DATA_DIR', './data');
  const brokers = env.optional('KAFKA_BROKERS', brokerListProblem);
  const eventStoreConnectionString = env.optional('EVENTSTORE_CONNECTION_STRING', eventStoreConnectionProblem);
  return {
    host: env.string('HOST', '127.0.0.1'),
    port: env.integer('PORT', defaults.port, 0, 65535),
    dataDir,
    ...(eventStoreConnectionString !== undefined && { eventStoreConnectionString }),
    ...(brokers !== undefined && { kafkaBrokers: brokers.split(',').map((b) => b.trim()) }),
    kafkaClientId: env.string('KAFKA_CLIENT_ID', defaults.clientId),
    issuer: env.string('EXCHANGE_ISSUER', 'urn:battery-exchange'),
    keysDir: env.directory('EXCHANGE_KEYS_DIR', dataDir),
  };
}
