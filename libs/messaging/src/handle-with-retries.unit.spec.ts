import { deadLetterOf, exponentialBackoff, handleWithRetries, validMaxAttempts, type RetryContext } from './handle-with-retries';
import { DEAD_LETTER_HEADERS, RetryableError, type IncomingMessage, type OutgoingMessage } from './message-bus.port';

const MESSAGE: IncomingMessage = {
  topic: 'exchange.events',
  partition: 1,
  offset: '7',
  key: 'stream-1',
  value: Uint8Array.from([1]),
  headers: { 'event-id': 'e1' },
};

function context(
  handler: RetryContext['handler'],
  maxAttempts?: number,
): RetryContext & { parked: { topic: string; messages: OutgoingMessage[] }[] } {
  const parked: { topic: string; messages: OutgoingMessage[] }[] = [];
  return {
    handler,
    maxAttempts,
    deadLetterTopic: 'exchange.dead-letter',
    backoff: { delayAfter: () => 0 },
    publish: async (topic, messages) => void parked.push({ topic, messages }),
    parked,
  };
}

describe('handleWithRetries', () => {
  it('handles at the first attempt without parking', async () => {
    const retry = context(async () => undefined);
    expect(await handleWithRetries(MESSAGE, retry)).toEqual({ kind: 'handled', attempts: 1 });
    expect(retry.parked).toEqual([]);
  });

  it('tries a RetryableError up to 5 attempts by default, then parks it', async () => {
    let attempts = 0;
    const retry = context(async () => {
      attempts++;
      throw new RetryableError('busy');
    });
    expect(await handleWithRetries(MESSAGE, retry)).toEqual({
      kind: 'parked',
      attempts: 5,
      reason: 'RetryableError: busy (gave up after 5 attempts)',
    });
    expect(attempts).toBe(5);
    expect(retry.parked).toEqual([
      { topic: 'exchange.dead-letter', messages: [deadLetterOf(MESSAGE, 'RetryableError: busy (gave up after 5 attempts)', 5)] },
    ]);
  });

  it('parks anything else at once, even what is not an Error', async () => {
    const retry = context(() => Promise.reject('a string'));
    expect(await handleWithRetries(MESSAGE, retry)).toMatchObject({ kind: 'parked', attempts: 1, reason: 'non-error thrown: a string' });
  });

  it('rejects, so that the message is not committed, when parking fails', async () => {
    const retry = { ...context(async () => Promise.reject(new Error('poison'))), publish: () => Promise.reject(new Error('bus down')) };
    await expect(handleWithRetries(MESSAGE, retry)).rejects.toThrow('bus down');
  });

  it('keeps the original headers on a dead letter and adds the reason, source topic and attempts', () => {
    expect(deadLetterOf(MESSAGE, 'Error: poison', 1)).toEqual({
      key: 'stream-1',
      value: MESSAGE.value,
      headers: {
        'event-id': 'e1',
        [DEAD_LETTER_HEADERS.reason]: 'Error: poison',
        [DEAD_LETTER_HEADERS.sourceTopic]: 'exchange.events',
        [DEAD_LETTER_HEADERS.attempts]: '1',
      },
    });
  });

  it('doubles the backoff up to its cap and refuses a maxAttempts below 1', () => {
    const backoff = exponentialBackoff(10, 50);
    expect([1, 2, 3, 4].map((attempt) => backoff.delayAfter(attempt))).toEqual([10, 20, 40, 50]);
    expect(() => validMaxAttempts(0)).toThrow(TypeError);
    expect(validMaxAttempts(undefined)).toBe(5);
  });
});
