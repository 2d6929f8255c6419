import { randomUUID } from 'node:crypto';
import { event, streams } from '@exchange/domain';
import { EventStore } from '@exchange/event-store';
import { waitUntil } from '@exchange/testing';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { http, registerParticipant } from '../support/participants';

describe('operations: what the reactions passed over', () => {
  let exchange: TestExchange;
  beforeAll(async () => (exchange = await startTestExchange()));
  afterAll(() => exchange.stop());

  const parked = event('reaction.parked', {
    cause: { eventId: randomUUID(), type: 'request.answered', position: '7' },
    reaction: 'grant for the requester',
    code: 'self-grant',
    reason: 'the owner already reads its own resources',
    parkedAt: '2026-06-01T10:00:00.000Z',
  });

  it('lists each parked reaction for the operator, and /health/ready says how many there are', async () => {
    const before = await http(exchange, 'GET', '/v1/operations/parked-reactions', { token: exchange.operatorToken });
    expect(before).toMatchObject({ status: 200, body: { items: [] } });

    const id = randomUUID();
    await exchange.app.get(EventStore).appendToStream(streams.parkedReactions(), [{ id, ...parked }], 'any');

    const after = await http(exchange, 'GET', '/v1/operations/parked-reactions', { token: exchange.operatorToken });
    expect(after.status).toBe(200);
    expect(after.body.items).toEqual([{ id, position: expect.stringMatching(/^\d+$/), ...parked.data }]);
    await waitUntil(async () => {
      const ready = (await fetch(`${exchange.baseUrl}/health/ready`).then((answer) => answer.json())) as { notices?: Record<string, string> };
      return /^1 follow-up fact\(s\) refused.*GET \/v1\/operations\/parked-reactions$/.test(ready.notices?.['reactions-parked'] ?? '');
    }, '/health/ready notes the parked reaction');
  });

  it('is the operator’s alone', async () => {
    const organization = await registerParticipant(exchange, 'Curious Supplier');
    const answer = await organization.call('GET', '/v1/operations/parked-reactions');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
