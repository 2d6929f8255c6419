import { exponentialBackoff, validMaxAttempts, type Backoff } from './handle-with-retries';
import { ConsumerGroup } from './in-process/consumer-group';
import { TopicLog } from './in-process/topic-log';
import { BusUnavailableError, MessageBus, type ConsumeOptions, type Consumer, type OutgoingMessage } from './message-bus.port';
import { UnknownTopicError } from './unknown-topic-error';

export interface InProcessMessageBusOptions {
  /** Partitions per topic (default 4). */
  partitions?: number;
  /** Wait between attempts of a RetryableError (default: 10 ms doubling up to 200 ms). */
  retryBackoff?: Backoff;
  /** Like a broker's retention: each partition keeps at least the newest `retention` messages and at most twice as many (default 10 000); a consumer behind them skips ahead. */
  retention?: number;
}

const DEFAULT_PARTITIONS = 4;
const DEFAULT_RETENTION = 10_000;

/**
 * The embedded adapter: topics, partitions and consumer groups in memory, for the embedded profile
 * and tests. Same delivery rules as Kafka (per-key order, committed offsets per group, retries,
 * dead letters); nothing survives the process.
 */
export class InProcessMessageBus extends MessageBus {
  private readonly topics = new Map<string, TopicLog>();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly consumers = new Set<Consumer>();
  private readonly partitions: number;
  private readonly retention: number;
  private readonly retryBackoff: Backoff;
  private closed = false;

  constructor(options: InProcessMessageBusOptions = {}) {
    super();
    this.partitions = options.partitions ?? DEFAULT_PARTITIONS;
    if (!Number.isSafeInteger(this.partitions) || this.partitions < 1) throw new TypeError('partitions must be a positive integer');
    this.retryBackoff = options.retryBackoff ?? exponentialBackoff(10, 200);
    this.retention = options.retention ?? DEFAULT_RETENTION;
    if (!(this.retention >= 1)) throw new TypeError('retention must be at least 1');
  }

  async ensureTopics(topics: string[]): Promise<void> {
    this.assertOpen();
    for (const topic of topics) {
      assertTopicName(topic);
      if (!this.topics.has(topic)) this.topics.set(topic, new TopicLog(topic, this.partitions, this.retention));
    }
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    const log = this.topicLog(topic);
    messages.forEach(assertOutgoingMessage);
    messages.forEach((message) => log.append(message));
    for (const group of this.groups.values()) group.wake([topic]);
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    this.assertOpen();
    assertConsumeOptions(options);
    const logs = options.topics.map((topic) => this.topicLog(topic));
    this.topicLog(options.deadLetterTopic); // parking must not be the first place to find it missing
    const group = this.groupFor(options.groupId);
    const member = group.join(options, logs);
    let stopping: Promise<void> | undefined;
    const consumer: Consumer = {
      stop: () => {
        stopping ??= group.leave(member).finally(() => this.consumers.delete(consumer));
        return stopping;
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  /** Stops every consumer (waiting for their messages in flight); afterwards every call fails with BusUnavailableError. */
  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.closed = true;
  }

  private groupFor(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ConsumerGroup({ backoff: this.retryBackoff, publish: (topic, messages) => this.publish(topic, messages) });
      this.groups.set(groupId, group);
    }
    return group;
  }

  private topicLog(topic: string): TopicLog {
    const log = this.topics.get(topic);
    if (!log) throw new UnknownTopicError(topic);
    return log;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusUnavailableError('the in-process message bus is closed');
  }
}

function assertTopicName(topic: unknown): void {
  if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('a topic name must be a non-empty string');
}

function assertOutgoingMessage(message: OutgoingMessage): void {
  if (typeof message.key !== 'string') throw new TypeError('a message key must be a string');
  if (!(message.value instanceof Uint8Array)) throw new TypeError('a message value must be a Uint8Array');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (typeof value !== 'string') throw new TypeError(`header "${name}" must be a string`);
  }
}

function assertConsumeOptions(options: ConsumeOptions): void {
  if (options.topics.length === 0) throw new TypeError('consume needs at least one topic');
  if (typeof options.groupId !== 'string' || options.groupId.length === 0) throw new TypeError('groupId must be a non-empty string');
  validMaxAttempts(options.maxAttempts);
}
