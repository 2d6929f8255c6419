/**
 * The messaging port: topics of keyed binary messages. Adapters: in-process (embedded profile,
 * tests) and Kafka through kafkajs (distributed profile). Every adapter must pass
 * `testing/message-bus.contract.ts`.
 */

export interface OutgoingMessage {
  /** Messages with the same key keep their order (Kafka: same partition). */
  key: string;
  value: Uint8Array;
  headers?: Record<string, string>;
}

export interface IncomingMessage extends OutgoingMessage {
  topic: string;
  partition: number;
  /** Offset within the partition, as a decimal string. */
  offset: string;
}

/** A handler's verdict on a message it could not handle. */
export class RetryableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** The bus cannot be reached or cannot serve right now (broker down, timeout, closed bus): the caller may retry later. */
export class BusUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'BusUnavailableError';
  }
}

export interface ConsumeOptions {
  topics: string[];
  /** Consumers in one group share the work and the committed offsets. */
  groupId: string;
  /** Where a group with no committed offset starts (default: the beginning). */
  fromBeginning?: boolean;
  /**
   * Called once per message, in order per key. Resolving commits the message. Throwing a
   * RetryableError retries it (with backoff, up to `maxAttempts`); any other error, or running out
   * of attempts, parks the message on `deadLetterTopic` with the reason and moves on.
   */
  handler: (message: IncomingMessage) => Promise<void>;
  deadLetterTopic: string;
  maxAttempts?: number;
}

export interface Consumer {
  /** Stops taking messages; resolves after the message in flight is handled and committed. */
  stop(): Promise<void>;
}

export abstract class MessageBus {
  /** Makes sure the topics exist (Kafka: creates them if missing). */
  abstract ensureTopics(topics: string[]): Promise<void>;
  /** Publishes in order; resolves once the bus has acknowledged every message (Kafka: acks=all, idempotent producer). */
  abstract publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  abstract consume(options: ConsumeOptions): Promise<Consumer>;
  abstract close(): Promise<void>;
}

/** Headers set on a parked message. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  sourceTopic: 'x-dead-letter-source-topic',
  attempts: 'x-dead-letter-attempts',
} as const;
