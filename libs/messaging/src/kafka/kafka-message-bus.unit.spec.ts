import { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { exponentialBackoff } from '../handle-with-retries';
import { BusUnavailableError, DEAD_LETTER_HEADERS, RetryableError, type IncomingMessage } from '../message-bus.port';
import { UnknownTopicError } from '../unknown-topic-error';
import { KafkaMessageBus } from './kafka-message-bus';
import { FakeKafka, type FakeConsumer } from './testing/fake-kafka';

jest.mock('kafkajs', () => ({ ...jest.requireActual('kafkajs'), Kafka: jest.requireActual('./testing/fake-kafka').FakeKafka }));

function protocolError(type: string, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));
}

async function connectedBus(): Promise<{ bus: KafkaMessageBus; kafka: FakeKafka }> {
  const bus = await KafkaMessageBus.connect({
    brokers: ['kafka-1:9093'],
    clientId: 'relay',
    ssl: true,
    sasl: { mechanism: 'scram-sha-512', username: 'relay', password: 'secret' },
    retryBackoff: exponentialBackoff(1, 1),
  });
  return { bus, kafka: FakeKafka.last };
}

async function consumerOf(
  bus: KafkaMessageBus,
  kafka: FakeKafka,
  handler: (message: IncomingMessage) => Promise<void>,
  maxAttempts?: number,
): Promise<FakeConsumer> {
  await bus.consume({ topics: ['exchange.events'], groupId: 'notifier', deadLetterTopic: 'exchange.dead-letter', handler, maxAttempts });
  return kafka.consumers[kafka.consumers.length - 1]!;
}

const MESSAGE = {
  key: Buffer.from('footprint-fp-1'),
  value: Buffer.from([1, 2, 3]),
  offset: '41',
  headers: { 'event-type': Buffer.from('footprint.submitted'), repeated: ['a', 'b'] },
};

describe('KafkaMessageBus over kafkajs (fake client, no broker)', () => {
  it('connects an idempotent producer (one request in flight, no topic auto-creation) with the given brokers, TLS and SASL', async () => {
    const { kafka } = await connectedBus();
    expect(kafka.config).toMatchObject({
      brokers: ['kafka-1:9093'],
      clientId: 'relay',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'relay' },
    });
    expect(kafka.producers[0]!.config).toMatchObject({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  });

  it('publishes with acks=all, the key, the value bytes and the headers', async () => {
    const { bus, kafka } = await connectedBus();
    await bus.publish('exchange.events', [{ key: 'stream-1', value: Uint8Array.from([9, 8]), headers: { 'event-id': 'e1' } }]);
    expect(kafka.producers[0]!.sent).toEqual([
      { topic: 'exchange.events', acks: -1, messages: [{ key: 'stream-1', value: Buffer.from([9, 8]), headers: { 'event-id': 'e1' } }] },
    ]);
  });

  it('ensureTopics creates topics with the defaults and ignores "already exists"', async () => {
    const { bus, kafka } = await connectedBus();
    await bus.ensureTopics(['exchange.events']);
    expect(kafka.admins[0]!.created).toEqual([[{ topic: 'exchange.events', numPartitions: 6, replicationFactor: -1 }]]);
    kafka.admins[0]!.failCreateWith = new KafkaJSAggregateError('exists', [protocolError('TOPIC_ALREADY_EXISTS', false)]);
    await expect(bus.ensureTopics(['exchange.events'])).resolves.toBeUndefined();
  });

  it('translates connection trouble into BusUnavailableError and a missing topic into UnknownTopicError', async () => {
    const { bus, kafka } = await connectedBus();
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { broker: 'kafka-1:9093' });
    kafka.producers[0]!.failSendsWith = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 100 });
    await expect(bus.publish('exchange.events', [{ key: 'k', value: new Uint8Array() }])).rejects.toBeInstanceOf(BusUnavailableError);
    kafka.producers[0]!.failSendsWith = protocolError('UNKNOWN_TOPIC_OR_PARTITION', true);
    await expect(bus.publish('nowhere', [{ key: 'k', value: new Uint8Array() }])).rejects.toEqual(new UnknownTopicError('nowhere'));
    kafka.admins[0]!.failCreateWith = protocolError('LEADER_NOT_AVAILABLE', true);
    await expect(bus.ensureTopics(['t'])).rejects.toBeInstanceOf(BusUnavailableError);
    kafka.admins[0]!.failCreateWith = protocolError('TOPIC_AUTHORIZATION_FAILED', false);
    await expect(bus.ensureTopics(['t'])).rejects.toBeInstanceOf(KafkaJSProtocolError);
  });

  it('refuses to consume when the dead-letter topic does not exist', async () => {
    const { bus } = await connectedBus();
    await expect(bus.consume({ topics: ['t'], groupId: 'g', deadLetterTopic: 'missing', handler: async () => undefined })).rejects.toEqual(
      new UnknownTopicError('missing'),
    );
  });

  it('consumes from the beginning by default, with auto-commit off', async () => {
    const { bus, kafka } = await connectedBus();
    const consumer = await consumerOf(bus, kafka, async () => undefined);
    expect(consumer.config).toMatchObject({ groupId: 'notifier', allowAutoTopicCreation: false });
    expect(consumer.subscription).toEqual({ topics: ['exchange.events'], fromBeginning: true });
    expect(consumer.runConfig).toMatchObject({ autoCommit: false });
  });

  it('hands the handler a port message and commits offset + 1 only after the handler resolved', async () => {
    const { bus, kafka } = await connectedBus();
    let finish!: () => void;
    const seen: IncomingMessage[] = [];
    const consumer = await consumerOf(bus, kafka, (message) => {
      seen.push(message);
      return new Promise<void>((resolve) => (finish = resolve));
    });

    const delivering = consumer.deliver('exchange.events', 2, MESSAGE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.commits).toEqual([]);
    finish();
    await delivering;

    expect(seen).toEqual([
      {
        topic: 'exchange.events',
        partition: 2,
        offset: '41',
        key: 'footprint-fp-1',
        value: Uint8Array.from([1, 2, 3]),
        headers: { 'event-type': 'footprint.submitted', repeated: 'b' },
      },
    ]);
    expect(consumer.commits).toEqual([{ topic: 'exchange.events', partition: 2, offset: '42' }]);
  });

  it('retries a RetryableError with heartbeats in between, then parks it on the dead-letter topic and commits', async () => {
    const { bus, kafka } = await connectedBus();
    const consumer = await consumerOf(bus, kafka, async () => Promise.reject(new RetryableError('busy')), 3);

    await consumer.deliver('exchange.events', 0, MESSAGE);

    expect(consumer.heartbeats).toBe(2);
    const [parked] = kafka.producers[0]!.sent;
    expect(parked).toMatchObject({ topic: 'exchange.dead-letter', acks: -1 });
    expect(parked!.messages[0]!.headers).toMatchObject({ [DEAD_LETTER_HEADERS.attempts]: '3', [DEAD_LETTER_HEADERS.sourceTopic]: 'exchange.events' });
    expect(consumer.commits).toEqual([{ topic: 'exchange.events', partition: 0, offset: '42' }]);
  });

  it('leaves the offset uncommitted (kafkajs redelivers) when the message cannot be parked', async () => {
    const { bus, kafka } = await connectedBus();
    const consumer = await consumerOf(bus, kafka, async () => Promise.reject(new Error('poison')));
    kafka.producers[0]!.failSendsWith = new KafkaJSConnectionError('Connection error');

    await expect(consumer.deliver('exchange.events', 0, MESSAGE)).rejects.toBeInstanceOf(BusUnavailableError);
    expect(consumer.commits).toEqual([]);
  });

  it('stop() disconnects the consumer once; close() also disconnects the producer and the admin client', async () => {
    const { bus, kafka } = await connectedBus();
    const consumer = await bus.consume({ topics: ['t'], groupId: 'g', deadLetterTopic: 'd', handler: async () => undefined });
    await Promise.all([consumer.stop(), consumer.stop()]);
    expect(kafka.consumers[0]!.disconnected).toBe(true);
    await bus.close();
    expect(kafka.producers[0]!.disconnected && kafka.admins[0]!.disconnected).toBe(true);
  });
});
