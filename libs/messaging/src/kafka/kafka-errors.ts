import {
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSLockTimeout,
  KafkaJSMetadataNotLoaded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSTimeout,
} from 'kafkajs';
import { BusUnavailableError } from '../message-bus.port';
import { UnknownTopicError } from '../unknown-topic-error';

/** Errors that say "the cluster cannot be reached or cannot answer now", whatever the request was. */
const UNAVAILABLE_ERRORS = [
  KafkaJSConnectionError, // also KafkaJSConnectionClosedError
  KafkaJSRequestTimeoutError,
  KafkaJSBrokerNotFound,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSMetadataNotLoaded,
  KafkaJSLockTimeout,
  KafkaJSTimeout,
];

const MAX_CAUSE_DEPTH = 8;

/**
 * What the adapter throws instead of a kafkajs error: BusUnavailableError for connection trouble
 * and retriable broker states (also once kafkajs ran out of retries), UnknownTopicError for a
 * missing topic; anything else (configuration, authorization, bugs) passes through unchanged.
 */
export function translateKafkaError(error: unknown, doing: string, topic?: string): unknown {
  if (error instanceof BusUnavailableError || error instanceof UnknownTopicError) return error;
  const chain = causeChain(error);
  if (topic !== undefined && chain.some(isUnknownTopic)) return new UnknownTopicError(topic, error);
  if (chain.some(isUnavailable)) return new BusUnavailableError(`Kafka is unavailable while ${doing}: ${messageOf(error)}`, error);
  return error;
}

export function isTopicAlreadyExists(error: unknown): boolean {
  return causeChain(error).some((link) => {
    const errors = (link as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors.every((inner) => typeOf(inner) === 'TOPIC_ALREADY_EXISTS');
    return typeOf(link) === 'TOPIC_ALREADY_EXISTS';
  });
}

function isUnavailable(error: unknown): boolean {
  if (UNAVAILABLE_ERRORS.some((type) => error instanceof type)) return true;
  return error instanceof KafkaJSProtocolError && error.retriable && !isUnknownTopic(error);
}

function isUnknownTopic(error: unknown): boolean {
  return typeOf(error) === 'UNKNOWN_TOPIC_OR_PARTITION';
}

/** kafkajs wraps the error that made it give up in `cause` (KafkaJSNumberOfRetriesExceeded, KafkaJSNonRetriableError). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link instanceof Error && chain.length < MAX_CAUSE_DEPTH; link = link.cause) {
    if (chain.includes(link)) break;
    chain.push(link);
  }
  return chain;
}

function typeOf(error: unknown): unknown {
  return (error as { type?: unknown } | null)?.type;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
