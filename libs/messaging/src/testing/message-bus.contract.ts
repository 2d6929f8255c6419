import { DEAD_LETTER_HEADERS, RetryableError, type ConsumeOptions, type IncomingMessage, type MessageBus } from '../message-bus.port';
import { settle, waitUntil } from '@exchange/testing';
import { gate, idOf, interleavedMessages, payloadOf, range, RecordingConsumer, sequencesByKey, testMessage, uniqueName } from './contract-helpers';

export type MessageBusFactory = () => Promise<MessageBus>;

export interface MessageBusContractOptions {
  /** How long to wait for a condition (a Kafka group join takes seconds); default 10 s. */
  timeoutMs?: number;
}

type Behaviour = (message: IncomingMessage) => Promise<void>;

/**
 * The behaviour every MessageBus adapter must have. The factory is called once; every test uses
 * fresh topic and group names, so the bus need not be empty.
 */
export function describeMessageBusContract(adapterName: string, factory: MessageBusFactory, options: MessageBusContractOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const waitFor = (condition: () => boolean, description: string) => waitUntil(condition, description, timeoutMs);

  describe(`MessageBus contract: ${adapterName}`, () => {
    let bus: MessageBus;
    const started: RecordingConsumer[] = [];

    beforeAll(async () => {
      bus = await factory();
    });
    afterEach(async () => {
      await Promise.all(started.splice(0).map((consumer) => consumer.stop()));
    });
    afterAll(() => bus?.close());

    async function freshTopics(): Promise<{ topic: string; deadLetterTopic: string }> {
      const names = { topic: uniqueName('contract'), deadLetterTopic: uniqueName('contract-dead-letter') };
      await bus.ensureTopics([names.topic, names.deadLetterTopic]);
      return names;
    }

    async function startConsumer(options: Omit<ConsumeOptions, 'handler'>, behaviour?: Behaviour): Promise<RecordingConsumer> {
      const consumer = new RecordingConsumer(behaviour);
      started.push(consumer);
      return consumer.start(bus, options);
    }

    /** Reads the dead-letter topic with a group of its own. */
    function watchDeadLetters(deadLetterTopic: string): Promise<RecordingConsumer> {
      return startConsumer({ topics: [deadLetterTopic], groupId: uniqueName('dead-letter-watcher'), deadLetterTopic });
    }

    it('delivers a published message with its key, value and headers', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      const consumer = await startConsumer({ topics: [topic], groupId: uniqueName('group'), deadLetterTopic });
      const value = Uint8Array.from([0, 1, 2, 127, 128, 255]);

      await bus.publish(topic, [{ key: 'stream-1', value, headers: { 'content-type': 'application/x-protobuf', 'x-trace': 'abc' } }]);

      await waitFor(() => consumer.received.length === 1, 'the message arrives');
      const [message] = consumer.received;
      expect(message).toMatchObject({ topic, key: 'stream-1' });
      expect(Array.from(message!.value)).toEqual(Array.from(value));
      expect(message!.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'x-trace': 'abc' });
      expect(Number.isInteger(message!.partition) && message!.partition >= 0).toBe(true);
      expect(message!.offset).toMatch(/^\d+$/);
    });

    it('keeps the order of each key across many messages, keys and publish calls', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      const keys = range(8).map((index) => `order-${index}`);
      const perKey = 25;
      // Handlers take uneven numbers of event-loop turns, so deliveries not serialized per partition would overtake each other.
      const consumer = await startConsumer({ topics: [topic], groupId: uniqueName('group'), deadLetterTopic }, async (message) => {
        await settle((payloadOf(message).seq * 7) % 4);
      });

      const messages = interleavedMessages(keys, perKey);
      for (let start = 0; start < messages.length; start += 17) await bus.publish(topic, messages.slice(start, start + 17));

      await waitFor(() => consumer.received.length === keys.length * perKey, 'every message arrives');
      const sequences = sequencesByKey(consumer.received);
      for (const key of keys) expect(sequences.get(key)).toEqual(range(perKey));
      expectOffsetsIncreasePerPartition(consumer.received);
    });

    it('a second consumer of the group resumes after what the first committed: nothing twice, nothing lost', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      const groupId = uniqueName('group');
      const keys = range(4).map((index) => `resume-${index}`);
      const all = interleavedMessages(keys, 10);
      const blockAfterTen = gate();
      const first = await startConsumer({ topics: [topic], groupId, deadLetterTopic }, async () => {
        if (first.received.length >= 10) await blockAfterTen.opened;
      });
      await bus.publish(topic, all);

      await waitFor(() => first.received.length >= 10, 'the first consumer handled ten messages');
      const stopping = first.stop();
      blockAfterTen.open();
      await stopping;
      const second = await startConsumer({ topics: [topic], groupId, deadLetterTopic });

      const handled = () => [...first.ids(), ...second.ids()];
      await waitFor(() => new Set(handled()).size === all.length, 'the second consumer handled the rest');
      await settle();
      expect(handled()).toHaveLength(all.length);
      expect(new Set(handled())).toEqual(new Set(all.map(idOf)));
      const sequences = sequencesByKey([...first.received, ...second.received]);
      for (const key of keys) expect(sequences.get(key)).toEqual(range(10));
    });

    it('retries a message whose handler throws RetryableError, then goes on when it succeeds', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      let attempts = 0;
      const consumer = await startConsumer({ topics: [topic], groupId: uniqueName('group'), deadLetterTopic }, async (message) => {
        if (payloadOf(message).seq === 0 && ++attempts < 3) throw new RetryableError('the database is busy');
      });

      await bus.publish(topic, [testMessage('retry', 0), testMessage('retry', 1)]);

      await waitFor(() => consumer.received.length === 2, 'both messages are handled');
      expect(attempts).toBe(3);
      expect(consumer.ids()).toEqual(['retry#0', 'retry#1']);
    });

    it('parks a message on the dead-letter topic once its retries are exhausted', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      const deadLetters = await watchDeadLetters(deadLetterTopic);
      let attempts = 0;
      const consumer = await startConsumer({ topics: [topic], groupId: uniqueName('group'), deadLetterTopic, maxAttempts: 3 }, async (message) => {
        if (payloadOf(message).seq === 0) {
          attempts++;
          throw new RetryableError('still busy');
        }
      });

      await bus.publish(topic, [testMessage('exhausted', 0), testMessage('exhausted', 1)]);

      await waitFor(() => deadLetters.received.length === 1 && consumer.received.length === 1, 'the message is parked and the next one handled');
      expect(attempts).toBe(3);
      expect(deadLetters.received[0]!.headers).toMatchObject({
        [DEAD_LETTER_HEADERS.attempts]: '3',
        [DEAD_LETTER_HEADERS.reason]: 'RetryableError: still busy (gave up after 3 attempts)',
      });
    });

    it('parks a poison message with its reason at once and handles the next message', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      const deadLetters = await watchDeadLetters(deadLetterTopic);
      let poisonAttempts = 0;
      const consumer = await startConsumer({ topics: [topic], groupId: uniqueName('group'), deadLetterTopic }, async (message) => {
        if (payloadOf(message).seq === 0) {
          poisonAttempts++;
          throw new Error('cannot decode the payload');
        }
      });

      await bus.publish(topic, [testMessage('poison', 0, { 'x-origin': 'contract' }), testMessage('poison', 1)]);

      await waitFor(() => consumer.received.length === 1 && deadLetters.received.length === 1, 'the poison is parked and the next one handled');
      expect(consumer.ids()).toEqual(['poison#1']);
      expect(poisonAttempts).toBe(1);
      const [parked] = deadLetters.received;
      expect(idOf(parked!)).toBe('poison#0');
      expect(parked!.key).toBe('poison');
      expect(parked!.headers).toMatchObject({
        'x-origin': 'contract',
        [DEAD_LETTER_HEADERS.reason]: 'Error: cannot decode the payload',
        [DEAD_LETTER_HEADERS.sourceTopic]: topic,
        [DEAD_LETTER_HEADERS.attempts]: '1',
      });
    });

    it('stop() waits for the handler in flight, and what it handled stays committed', async () => {
      const { topic, deadLetterTopic } = await freshTopics();
      const groupId = uniqueName('group');
      const release = gate();
      let entered = false;
      const consumer = await startConsumer({ topics: [topic], groupId, deadLetterTopic }, async () => {
        entered = true;
        await release.opened;
      });
      await bus.publish(topic, [testMessage('in-flight', 0)]);
      await waitFor(() => entered, 'the handler is running');

      let stopped = false;
      const stopping = consumer.stop().then(() => (stopped = true));
      await settle();
      expect(stopped).toBe(false);
      release.open();
      await stopping;
      expect(consumer.ids()).toEqual(['in-flight#0']);

      const next = await startConsumer({ topics: [topic], groupId, deadLetterTopic });
      await bus.publish(topic, [testMessage('in-flight', 1)]);
      await waitFor(() => next.received.length >= 1, 'the next consumer of the group gets the new message');
      expect(next.ids()).toEqual(['in-flight#1']);
    });
  });
}

function expectOffsetsIncreasePerPartition(messages: IncomingMessage[]): void {
  const lastOffset = new Map<number, bigint>();
  for (const message of messages) {
    const offset = BigInt(message.offset);
    const previous = lastOffset.get(message.partition);
    if (previous !== undefined) expect(offset).toBeGreaterThan(previous);
    lastOffset.set(message.partition, offset);
  }
}
