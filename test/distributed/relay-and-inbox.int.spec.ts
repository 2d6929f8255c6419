import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { event as domainEvent, streams } from '@exchange/domain';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { DEAD_LETTER_TOPIC, EVENTS_TOPIC, inboxTopic, Notifier, Relay, relayMessage, SqliteProcessedMessages } from '@exchange/integration';
import { DEAD_LETTER_HEADERS, decodeEventEnvelope, InProcessMessageBus, verifySignedEnvelope, type IncomingMessage } from '@exchange/messaging';
import { ExchangeKeyRing } from '@exchange/signing';
import { settle, waitUntil } from '@exchange/testing';

const requestCreated = (supplierOrgId: string, requestId = randomUUID()) =>
  domainEvent('request.created', {
    requestId,
    kind: 'cfp',
    requesterOrgId: randomUUID(),
    supplierOrgId,
    supplierPartId: randomUUID(),
    createdAt: new Date().toISOString(),
  });

describe('relay and inbox on the in-process bus', () => {
  let dir: string;
  let store: SqliteEventStore;
  let bus: InProcessMessageBus;
  let keys: ExchangeKeyRing;
  const received: IncomingMessage[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'exchange-relay-'));
    store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    bus = new InProcessMessageBus();
    keys = await ExchangeKeyRing.inMemory();
    received.length = 0;
    await bus.ensureTopics([EVENTS_TOPIC, DEAD_LETTER_TOPIC]);
  });
  afterEach(async () => {
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const watch = (topics: string[]) =>
    bus.consume({
      topics,
      groupId: `watcher-${randomUUID()}`,
      fromBeginning: true,
      deadLetterTopic: DEAD_LETTER_TOPIC,
      handler: async (m) => void received.push(m),
    });

  async function appendRequests(streamCount: number, perStream: number): Promise<string[]> {
    const ids: string[] = [];
    for (let round = 0; round < perStream; round++) {
      for (let s = 0; s < streamCount; s++) {
        const e = requestCreated(`00000000-0000-4000-8000-00000000000${s}`);
        const id = randomUUID();
        ids.push(id);
        await store.appendToStream(streams.request(`stream-${s}`), [{ id, type: e.type, data: e.data }]);
      }
    }
    return ids;
  }

  it('publishes every committed event once, keyed by stream, in order per stream, across a restart of the relay', async () => {
    const watcher = await watch([EVENTS_TOPIC]);
    const firstIds = await appendRequests(4, 5);
    const relay = new Relay(store, bus);
    await relay.start();
    await waitUntil(() => received.length === firstIds.length, 'the first batch is published');
    await relay.stop();
    expect(await store.checkpoint('relay')).toBe(await store.headPosition());

    const laterIds = await appendRequests(4, 5);
    const restarted = new Relay(store, bus);
    await restarted.start();
    await waitUntil(() => received.length >= firstIds.length + laterIds.length, 'the later batch is published');
    await restarted.stop();
    await watcher.stop();

    const envelopes = received.map((m) => ({ key: m.key, event: decodeEventEnvelope(m.value) }));
    expect(envelopes.map((e) => e.event.id).sort()).toEqual([...firstIds, ...laterIds].sort());
    for (const { key, event } of envelopes) expect(key).toBe(event.streamId);
    const revisionsByStream = new Map<string, number[]>();
    for (const { event } of envelopes) revisionsByStream.set(event.streamId, [...(revisionsByStream.get(event.streamId) ?? []), event.revision]);
    for (const revisions of revisionsByStream.values()) expect(revisions).toEqual([...revisions.keys()]);
  });

  it('delivers each event only to the inbox of who may see it, as an envelope signed by the exchange', async () => {
    const supplier = randomUUID();
    const e = requestCreated(supplier);
    await store.appendToStream(streams.request(e.data.requestId), [{ id: randomUUID(), type: e.type, data: e.data }]);
    const relay = new Relay(store, bus);
    const notifier = new Notifier(bus, keys, new SqliteProcessedMessages(join(dir, 'notifier.sqlite')));
    await relay.start();
    await notifier.start();
    await waitUntil(() => notifier.delivered === 1, 'the notification is delivered');
    await bus.ensureTopics([inboxTopic(e.data.requesterOrgId)]);
    const watcher = await watch([inboxTopic(supplier), inboxTopic(e.data.requesterOrgId)]);
    await waitUntil(() => received.length === 1, 'the inbox message is read');
    await Promise.all([watcher.stop(), notifier.stop(), relay.stop()]);

    expect(received[0]!.topic).toBe(inboxTopic(supplier));
    const notification = await verifySignedEnvelope(received[0]!.value, keys.publicJwks());
    expect(notification).toMatchObject({ type: 'request.created', recipientOrgId: supplier, data: { requestId: e.data.requestId, kind: 'cfp' } });
  });

  it('changes nothing when an event is delivered again, and parks what it cannot read on the dead-letter topic', async () => {
    const supplier = randomUUID();
    const e = requestCreated(supplier);
    await store.appendToStream(streams.request(e.data.requestId), [{ id: randomUUID(), type: e.type, data: e.data }]);
    const [stored] = await store.readAll();
    const processed = new SqliteProcessedMessages(join(dir, 'notifier.sqlite'));
    const notifier = new Notifier(bus, keys, processed);
    await notifier.start();
    await bus.publish(EVENTS_TOPIC, [relayMessage(stored!), relayMessage(stored!)]);
    await bus.publish(EVENTS_TOPIC, [{ key: 'poison', value: new TextEncoder().encode('not a protobuf envelope') }]);
    await bus.publish(EVENTS_TOPIC, [relayMessage(stored!)]);
    await bus.ensureTopics([inboxTopic(supplier)]);
    const watcher = await watch([inboxTopic(supplier), DEAD_LETTER_TOPIC]);
    await waitUntil(
      () => received.some((m) => m.topic === DEAD_LETTER_TOPIC) && received.some((m) => m.topic === inboxTopic(supplier)),
      'the poison message is parked and the notification delivered',
    );
    await settle();
    await Promise.all([watcher.stop(), notifier.stop()]);
    processed.close();

    expect(received.filter((m) => m.topic === inboxTopic(supplier))).toHaveLength(1);
    const parked = received.find((m) => m.topic === DEAD_LETTER_TOPIC)!;
    expect(parked.headers?.[DEAD_LETTER_HEADERS.reason]).toBeTruthy();
    expect(parked.headers?.[DEAD_LETTER_HEADERS.sourceTopic]).toBe(EVENTS_TOPIC);
  });
});
