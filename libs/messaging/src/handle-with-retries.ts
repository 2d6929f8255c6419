import { DEAD_LETTER_HEADERS, type IncomingMessage, type OutgoingMessage, RetryableError } from './message-bus.port';

export const DEFAULT_MAX_ATTEMPTS = 5;

export interface Backoff {
  /** Milliseconds to wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed. */
  delayAfter(attempt: number): number;
}

/** Doubles from `initialMs`, never above `maxMs`. */
export function exponentialBackoff(initialMs: number, maxMs: number): Backoff {
  return { delayAfter: (attempt) => Math.min(maxMs, initialMs * 2 ** (attempt - 1)) };
}

export interface RetryContext {
  handler: (message: IncomingMessage) => Promise<void>;
  deadLetterTopic: string;
  maxAttempts?: number;
  backoff: Backoff;
  publish: (topic: string, messages: OutgoingMessage[]) => Promise<void>;
  /** Called while waiting between attempts (Kafka: heartbeat, so that a long retry does not cost the partition). */
  whileWaiting?: () => Promise<void>;
}

export type HandlingOutcome = { kind: 'handled'; attempts: number } | { kind: 'parked'; attempts: number; reason: string };

/**
 * The port's delivery rule, shared by every adapter: RetryableError → wait and try again, up to
 * `maxAttempts`; any other error, or the last attempt failing, → the message is published to the
 * dead-letter topic with the reason. Resolves when the message may be committed; rejects only
 * when parking it failed (then it must not be committed).
 */
export async function handleWithRetries(message: IncomingMessage, context: RetryContext): Promise<HandlingOutcome> {
  const maxAttempts = validMaxAttempts(context.maxAttempts);
  for (let attempt = 1; ; attempt++) {
    try {
      await context.handler(message);
      return { kind: 'handled', attempts: attempt };
    } catch (error) {
      if (!(error instanceof RetryableError) || attempt >= maxAttempts) {
        const reason = reasonOf(error, attempt);
        await park(message, reason, attempt, context);
        return { kind: 'parked', attempts: attempt, reason };
      }
      await pause(context.backoff.delayAfter(attempt), context.whileWaiting);
    }
  }
}

export function validMaxAttempts(maxAttempts: number | undefined): number {
  const value = maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`maxAttempts must be a positive integer, got ${value}`);
  return value;
}

export function deadLetterOf(message: IncomingMessage, reason: string, attempts: number): OutgoingMessage {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.sourceTopic]: message.topic,
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
    },
  };
}

async function park(message: IncomingMessage, reason: string, attempts: number, context: RetryContext): Promise<void> {
  await context.publish(context.deadLetterTopic, [deadLetterOf(message, reason, attempts)]);
}

function reasonOf(error: unknown, attempts: number): string {
  const described = error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${String(error)}`;
  return error instanceof RetryableError ? `${described} (gave up after ${attempts} attempts)` : described;
}

async function pause(delayMs: number, whileWaiting: (() => Promise<void>) | undefined): Promise<void> {
  await whileWaiting?.();
  await new Promise((resolve) => setTimeout(resolve, delayMs));
}
