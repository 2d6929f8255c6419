import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Consumer as KafkaConsumer,
  type EachMessagePayload,
  type IHeaders,
  type KafkaConfig,
  type Message,
  type Producer,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';
import { exponentialBackoff, handleWithRetries, validMaxAttempts, type Backoff } from '../handle-with-retries';
import { MessageBus, type ConsumeOptions, type Consumer, type IncomingMessage, type OutgoingMessage } from '../message-bus.port';
import { isTopicAlreadyExists, translateKafkaError } from './kafka-errors';

export interface KafkaConnectOptions {
  brokers: string[];
  clientId: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: SASLOptions;
  /** Topics created by ensureTopics (default: 6 partitions, the broker's default replication factor). */
  topicDefaults?: { numPartitions?: number; replicationFactor?: number };
  /** Wait between attempts of a RetryableError (default: 100 ms doubling up to 5 s; heartbeats meanwhile). */
  retryBackoff?: Backoff;
  /** kafkajs's own retries of requests and connections (default: kafkajs's). */
  clientRetry?: RetryOptions;
  /** kafkajs's log level (default: WARN). */
  logLevel?: KafkaLogLevel;
}

const DEFAULT_PARTITIONS = 6;
const BROKER_DEFAULT_REPLICATION = -1;

/**
 * The distributed adapter, over kafkajs: an idempotent producer (acks=all, one request in flight,
 * so retries neither duplicate nor reorder), consumers with auto-commit off that commit each
 * message's offset once it was handled or parked.
 */
export class KafkaMessageBus extends MessageBus {
  private readonly consumers = new Set<Consumer>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly options: KafkaConnectOptions,
  ) {
    super();
  }

  /** Connects the producer and the admin client; throws BusUnavailableError when no broker answers. */
  static async connect(options: KafkaConnectOptions): Promise<KafkaMessageBus> {
    const { brokers, clientId, ssl, sasl, clientRetry } = options;
    const kafka = new Kafka({ brokers, clientId, ssl, sasl, retry: clientRetry, logLevel: options.logLevel ?? KafkaLogLevel.WARN });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const admin = kafka.admin();
    try {
      await producer.connect();
      await admin.connect();
    } catch (error) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw translateKafkaError(error, 'connecting');
    }
    return new KafkaMessageBus(kafka, producer, admin, options);
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const numPartitions = this.options.topicDefaults?.numPartitions ?? DEFAULT_PARTITIONS;
    const replicationFactor = this.options.topicDefaults?.replicationFactor ?? BROKER_DEFAULT_REPLICATION;
    try {
      // Resolves false when every topic already existed.
      await this.admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor })), waitForLeaders: true });
    } catch (error) {
      if (isTopicAlreadyExists(error)) return;
      throw translateKafkaError(error, 'creating topics');
    }
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.producer.send({ topic, acks: -1, messages: messages.map(toKafkaMessage) });
    } catch (error) {
      throw translateKafkaError(error, `publishing to ${topic}`, topic);
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    validMaxAttempts(options.maxAttempts);
    await this.assertTopicExists(options.deadLetterTopic);
    const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({ autoCommit: false, eachMessage: (payload) => this.handleEach(consumer, options, payload) });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw translateKafkaError(error, `starting consumer group ${options.groupId}`, options.topics.join(', '));
    }
    return this.track(consumer);
  }

  /** Stops every consumer (each after its message in flight) and disconnects. */
  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /** Parking must not be the first place to find the dead-letter topic missing. */
  private async assertTopicExists(topic: string): Promise<void> {
    try {
      await this.admin.fetchTopicMetadata({ topics: [topic] });
    } catch (error) {
      throw translateKafkaError(error, `looking up ${topic}`, topic);
    }
  }

  /** Runs inside kafkajs's eachMessage; throwing (only when parking failed) leaves the offset uncommitted, so the message comes again. */
  private async handleEach(consumer: KafkaConsumer, options: ConsumeOptions, payload: EachMessagePayload): Promise<void> {
    const message = incomingFromKafka(payload);
    await handleWithRetries(message, {
      handler: options.handler,
      deadLetterTopic: options.deadLetterTopic,
      maxAttempts: options.maxAttempts,
      backoff: this.options.retryBackoff ?? exponentialBackoff(100, 5_000),
      publish: (topic, messages) => this.publish(topic, messages),
      whileWaiting: () => payload.heartbeat(),
    });
    // Kafka's committed offset is the next one to read.
    await consumer.commitOffsets([{ topic: message.topic, partition: message.partition, offset: (BigInt(message.offset) + 1n).toString() }]);
  }

  private track(kafkaConsumer: KafkaConsumer): Consumer {
    let stopping: Promise<void> | undefined;
    const consumer: Consumer = {
      // disconnect() stops the runner first, which waits for the eachMessage in flight (and its commit).
      stop: () => {
        stopping ??= kafkaConsumer
          .disconnect()
          .catch((error: unknown) => Promise.reject(translateKafkaError(error, 'stopping a consumer')))
          .finally(() => this.consumers.delete(consumer));
        return stopping;
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }
}

function toKafkaMessage(message: OutgoingMessage): Message {
  return { key: message.key, value: Buffer.from(message.value), headers: { ...message.headers } };
}

function incomingFromKafka({ topic, partition, message }: EachMessagePayload): IncomingMessage {
  const value = message.value ?? Buffer.alloc(0);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    headers: headersFromKafka(message.headers),
  };
}

/** Kafka allows repeated header names; the port has one value per name, so the last one wins. */
function headersFromKafka(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last !== undefined) result[name] = last.toString();
  }
  return result;
}
