import { InProcessMessageBus } from './in-process-message-bus';
import { partitionForKey } from './in-process/topic-log';
import { BusUnavailableError } from './message-bus.port';
import { waitUntil } from '@exchange/testing';
import { RecordingConsumer, testMessage, uniqueName } from './testing/contract-helpers';
import { describeMessageBusContract } from './testing/message-bus.contract';

describeMessageBusContract('in-process', async () => new InProcessMessageBus());

describe('InProcessMessageBus', () => {
  async function busWithTopics(): Promise<{ bus: InProcessMessageBus; topic: string; deadLetterTopic: string }> {
    const bus = new InProcessMessageBus();
    const topic = uniqueName('topic');
    const deadLetterTopic = uniqueName('dead-letter');
    await bus.ensureTopics([topic, deadLetterTopic]);
    return { bus, topic, deadLetterTopic };
  }

  it('a group with nothing committed and fromBeginning: false starts at the end', async () => {
    const { bus, topic, deadLetterTopic } = await busWithTopics();
    await bus.publish(topic, [testMessage('k', 0)]);
    const consumer = await new RecordingConsumer().start(bus, { topics: [topic], groupId: 'late', deadLetterTopic, fromBeginning: false });
    await bus.publish(topic, [testMessage('k', 1)]);

    await waitUntil(() => consumer.received.length > 0, 'the new message arrives', 5_000);
    expect(consumer.ids()).toEqual(['k#1']);
    await bus.close();
  });

  it('a group with committed offsets resumes there whatever fromBeginning says', async () => {
    const { bus, topic, deadLetterTopic } = await busWithTopics();
    const first = await new RecordingConsumer().start(bus, { topics: [topic], groupId: 'g', deadLetterTopic });
    await bus.publish(topic, [testMessage('k', 0)]);
    await waitUntil(() => first.received.length === 1, 'the first message is handled', 5_000);
    await first.stop();
    await bus.publish(topic, [testMessage('k', 1)]);

    const second = await new RecordingConsumer().start(bus, { topics: [topic], groupId: 'g', deadLetterTopic, fromBeginning: false });
    await waitUntil(() => second.received.length > 0, 'the second message arrives', 5_000);
    expect(second.ids()).toEqual(['k#1']);
    await bus.close();
  });

  it('refuses topics that were not ensured, and every call after close()', async () => {
    const { bus, topic } = await busWithTopics();
    await expect(bus.publish('missing', [testMessage('k', 0)])).rejects.toThrow('topic "missing" does not exist');
    await expect(bus.consume({ topics: [topic], groupId: 'g', deadLetterTopic: 'missing', handler: async () => undefined })).rejects.toThrow(
      'does not exist',
    );
    await bus.close();
    await bus.close();
    await expect(bus.publish(topic, [testMessage('k', 0)])).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(bus.ensureTopics(['other'])).rejects.toBeInstanceOf(BusUnavailableError);
  });

  it('close() stops the consumers after their messages in flight', async () => {
    const { bus, topic, deadLetterTopic } = await busWithTopics();
    let finished = false;
    let entered = false;
    const consumer = await new RecordingConsumer(async () => {
      entered = true;
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    }).start(bus, { topics: [topic], groupId: 'g', deadLetterTopic });
    await bus.publish(topic, [testMessage('k', 0)]);
    await waitUntil(() => entered, 'the handler runs', 5_000);

    await bus.close();
    expect(finished).toBe(true);
    expect(consumer.ids()).toEqual(['k#0']);
  });

  it('maps a key to the same partition every time (FNV-1a)', () => {
    expect(partitionForKey('footprint-fp-1', 4)).toBe(partitionForKey('footprint-fp-1', 4));
    expect(partitionForKey('', 4)).toBe(0x811c9dc5 % 4);
    const spread = new Set(Array.from({ length: 50 }, (_, index) => partitionForKey(`stream-${index}`, 4)));
    expect(spread.size).toBe(4);
  });
});

describe('in-process retention', () => {
  it('keeps the newest messages per partition, and a late group starts at the oldest one kept', async () => {
    const bus = new InProcessMessageBus({ partitions: 1, retention: 3 });
    await bus.ensureTopics(['retained', 'retained.dead']);
    for (let i = 0; i < 10; i++) await bus.publish('retained', [{ key: 'k', value: new TextEncoder().encode(String(i)) }]);
    const seen: string[] = [];
    const consumer = await bus.consume({
      topics: ['retained'],
      groupId: 'late',
      fromBeginning: true,
      deadLetterTopic: 'retained.dead',
      handler: async (m) => void seen.push(new TextDecoder().decode(m.value)),
    });
    const deadline = Date.now() + 5000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await consumer.stop();
    await bus.close();
    expect(seen).toEqual(['6', '7', '8', '9']);
  });
});
