import type {
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  ITopicConfig,
  KafkaConfig,
  KafkaMessage,
  ProducerConfig,
  ProducerRecord,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';

/**
 * Stands in for kafkajs's Kafka class in unit tests (no broker here): records the configuration
 * and calls the adapter makes, and lets a test deliver messages through the consumer's eachMessage.
 */
export class FakeKafka {
  static instances: FakeKafka[] = [];
  readonly producers: FakeProducer[] = [];
  readonly consumers: FakeConsumer[] = [];
  readonly admins: FakeAdmin[] = [];

  constructor(readonly config: KafkaConfig) {
    FakeKafka.instances.push(this);
  }

  static get last(): FakeKafka {
    return FakeKafka.instances[FakeKafka.instances.length - 1]!;
  }

  producer(config: ProducerConfig): FakeProducer {
    return push(this.producers, new FakeProducer(config));
  }

  consumer(config: ConsumerConfig): FakeConsumer {
    return push(this.consumers, new FakeConsumer(config));
  }

  admin(): FakeAdmin {
    return push(this.admins, new FakeAdmin());
  }
}

export class FakeProducer {
  readonly sent: ProducerRecord[] = [];
  failSendsWith: Error | undefined;
  connectFailure: Error | undefined;
  disconnected = false;

  constructor(readonly config: ProducerConfig) {}

  async connect(): Promise<void> {
    if (this.connectFailure) throw this.connectFailure;
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  async send(record: ProducerRecord): Promise<[]> {
    if (this.failSendsWith) throw this.failSendsWith;
    this.sent.push(record);
    return [];
  }
}

export class FakeConsumer {
  subscription: ConsumerSubscribeTopics | undefined;
  runConfig: ConsumerRunConfig | undefined;
  readonly commits: TopicPartitionOffsetAndMetadata[] = [];
  heartbeats = 0;
  disconnected = false;

  constructor(readonly config: ConsumerConfig) {}

  async connect(): Promise<void> {}

  async subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    this.subscription = subscription;
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    this.runConfig = config;
  }

  async commitOffsets(offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    this.commits.push(...offsets);
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  /** What kafkajs's runner does for one fetched message. */
  deliver(topic: string, partition: number, message: Partial<KafkaMessage>): Promise<void> {
    const kafkaMessage = { key: null, value: null, timestamp: '0', attributes: 0, offset: '0', headers: {}, ...message } as KafkaMessage;
    return this.runConfig!.eachMessage!({
      topic,
      partition,
      message: kafkaMessage,
      heartbeat: async () => void this.heartbeats++,
      pause: () => () => undefined,
    });
  }
}

export class FakeAdmin {
  readonly created: ITopicConfig[][] = [];
  readonly existing = new Set<string>(['exchange.dead-letter', 'd']);
  failCreateWith: Error | undefined;
  disconnected = false;

  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  async fetchTopicMetadata({ topics }: { topics: string[] }): Promise<{ topics: { name: string; partitions: [] }[] }> {
    const missing = topics.find((topic) => !this.existing.has(topic));
    if (missing !== undefined)
      throw Object.assign(new Error('This server does not host this topic-partition'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    return { topics: topics.map((name) => ({ name, partitions: [] })) };
  }

  async createTopics({ topics }: { topics: ITopicConfig[] }): Promise<boolean> {
    if (this.failCreateWith) throw this.failCreateWith;
    this.created.push(topics);
    topics.forEach(({ topic }) => this.existing.add(topic));
    return true;
  }
}

function push<T>(list: T[], item: T): T {
  list.push(item);
  return item;
}
