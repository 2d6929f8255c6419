import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { logLevel } from 'kafkajs';
import { BusUnavailableError } from '../message-bus.port';
import { describeMessageBusContract } from '../testing/message-bus.contract';
import { KafkaMessageBus } from './kafka-message-bus';

const brokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker.length > 0);

if (brokers.length > 0) {
  describeMessageBusContract(
    `Kafka (${brokers.join(',')})`,
    () => KafkaMessageBus.connect({ brokers, clientId: `contract-${randomUUID()}`, topicDefaults: { numPartitions: 3 } }),
    { timeoutMs: 45_000 },
  );
} else {
  console.warn('Kafka contract suite SKIPPED: set KAFKA_BROKERS (e.g. localhost:9092) to run it');
  describe.skip('Kafka contract suite — SKIPPED: set KAFKA_BROKERS (e.g. localhost:9092) to run it', () => {
    it('runs the MessageBus contract against a real broker', () => undefined);
  });
}

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('KafkaMessageBus without a broker', () => {
  it('connect() fails with BusUnavailableError when no broker answers', async () => {
    const port = await closedPort();
    const connecting = KafkaMessageBus.connect({
      brokers: [`127.0.0.1:${port}`],
      clientId: 'unreachable',
      clientRetry: { retries: 1, initialRetryTime: 10, maxRetryTime: 20 },
      logLevel: logLevel.NOTHING,
    });
    await expect(connecting).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(connecting).rejects.toThrow(/Kafka is unavailable while connecting/);
  });
});
