export * from './message-bus.port';
export { UnknownTopicError } from './unknown-topic-error';
export {
  handleWithRetries,
  exponentialBackoff,
  DEFAULT_MAX_ATTEMPTS,
  type Backoff,
  type HandlingOutcome,
  type RetryContext,
} from './handle-with-retries';
export { InProcessMessageBus, type InProcessMessageBusOptions } from './in-process-message-bus';
export { KafkaMessageBus, type KafkaConnectOptions } from './kafka/kafka-message-bus';
export * from './codec';
