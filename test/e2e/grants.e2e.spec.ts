import { http, registerParticipant, submitFootprint, type Participant } from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { refused, refusedRead } from '../support/refusals';

const OWN = { rawMaterialAcquisition: '5.2', mainProduction: '2.1', distribution: '0.4', endOfLife: '0' };

interface FeedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, any>;
}

describe('sharing: grants, revocation, audit and the events feed (e2e)', () => {
  let exchange: TestExchange;
  let owner: Participant;
  let reader: Participant;
  let certifier: Participant;
  let stranger: Participant;
  let footprintId: string;

  beforeAll(async () => {
    exchange = await startTestExchange();
    owner = await registerParticipant(exchange, 'Andes Lithium');
    reader = await registerParticipant(exchange, 'Kanto Cathode', ['supplier'], 'ES256');
    certifier = await registerParticipant(exchange, 'Rheinland Certification', ['certifier']);
    stranger = await registerParticipant(exchange, 'Stranger');
    const partId = await owner.registerPart('LC-BG-99.5');
    footprintId = (await submitFootprint(owner, partId, OWN)).id;
  });
  afterAll(() => exchange?.stop());

  const grantBody = (over: Record<string, unknown> = {}) => ({
    resource: { type: 'footprint', id: footprintId },
    granteeOrgId: reader.id,
    purpose: 'downstream-aggregation',
    scope: 'document',
    ...over,
  });

  async function grant(by: Participant, over: Record<string, unknown> = {}): Promise<string> {
    const answer = await by.call('POST', '/v1/grants', grantBody(over));
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 201, body: { id: expect.any(String) } });
    return answer.body.id;
  }

  async function feedOf(p: Participant): Promise<FeedEvent[]> {
    const answer = await p.call('GET', '/v1/events?limit=500');
    expect(answer.status).toBe(200);
    return answer.body.items;
  }

  describe('granting', () => {
    it('answers 201 with the id, and the grantee sees grant.created in its events feed', async () => {
      const id = await grant(owner);
      const created = (await feedOf(reader)).find((e) => e.type === 'grant.created' && e.data.grantId === id);
      expect(created).toEqual({
        id: expect.any(String),
        type: 'grant.created',
        occurredAt: expect.any(String),
        data: {
          grantId: id,
          ownerOrgId: owner.id,
          resource: { type: 'footprint', id: footprintId },
          purpose: 'downstream-aggregation',
          scope: 'document',
        },
      });
      expect(await feedOf(stranger)).toEqual([]);
    });

    it('stores expiresAt in UTC and shows the grant to its owner and its grantee only', async () => {
      const id = await grant(owner, {
        granteeOrgId: certifier.id,
        purpose: 'verification',
        scope: 'derivation',
        expiresAt: '2099-01-01T09:00:00+09:00',
      });
      const expected = { id, ownerOrgId: owner.id, granteeOrgId: certifier.id, expiresAt: '2099-01-01T00:00:00.000Z', status: 'active' };
      expect((await owner.call('GET', `/v1/grants/${id}`)).body).toMatchObject(expected);
      expect((await certifier.call('GET', `/v1/grants/${id}`)).body).toMatchObject(expected);
      expect((await stranger.call('GET', `/v1/grants/${id}`)).status).toBe(404);
    });

    it('gives the same answer and no second event for a repeated Idempotency-Key', async () => {
      const headers = { 'Idempotency-Key': 'grant-once-1' };
      const first = await owner.call('POST', '/v1/grants', grantBody({ granteeOrgId: stranger.id }), headers);
      const before = await exchange.eventCount();
      const again = await owner.call('POST', '/v1/grants', grantBody({ granteeOrgId: stranger.id }), headers);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await exchange.eventCount()).toBe(before);
      await owner.call('DELETE', `/v1/grants/${first.body.id}`);
    });
  });

  describe('listing', () => {
    it('lists the grants on a resource to its owner, oldest first, page by page', async () => {
      const first = await owner.call('GET', `/v1/grants?resourceId=${footprintId}&limit=1`);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.items[0]).toMatchObject({
        granteeOrgId: reader.id,
        purpose: 'downstream-aggregation',
        scope: 'document',
        status: 'active',
        createdAt: expect.any(String),
      });
      expect(Object.keys(first.body.items[0]).sort()).toEqual([
        'createdAt',
        'granteeOrgId',
        'id',
        'ownerOrgId',
        'purpose',
        'resource',
        'scope',
        'status',
      ]);
      const second = await owner.call('GET', `/v1/grants?resourceId=${footprintId}&limit=1&after=${first.body.next}`);
      expect(second.body.items[0]).toMatchObject({ granteeOrgId: certifier.id, purpose: 'verification' });
      const all = await owner.call('GET', `/v1/grants?resourceId=${footprintId}`);
      expect(all.body.items.map((g: any) => g.granteeOrgId)).toEqual([reader.id, certifier.id, stranger.id]);
      expect(all.body.items.map((g: any) => g.status)).toEqual(['active', 'active', 'revoked']);
      expect(all.body.next).toBeUndefined();
    });

    it('lists all grants the caller gave without resourceId, and those it received with granted=to-me', async () => {
      expect((await owner.call('GET', '/v1/grants')).body.items).toHaveLength(3);
      const received = await reader.call('GET', '/v1/grants?granted=to-me');
      expect(received.body.items).toEqual([expect.objectContaining({ ownerOrgId: owner.id, granteeOrgId: reader.id })]);
      expect((await reader.call('GET', '/v1/grants')).body.items).toEqual([]);
      expect((await owner.call('GET', '/v1/grants?granted=to-me')).body.items).toEqual([]);
    });

    it("hides a resource's grants and audit trail from anyone but its owner", async () => {
      await refusedRead(exchange, 404, () => reader.call('GET', `/v1/grants?resourceId=${footprintId}`));
      await refusedRead(exchange, 404, () => reader.call('GET', `/v1/audit?resourceId=${footprintId}`));
      await refused(exchange, 404, () => owner.call('GET', `/v1/grants?resourceId=${crypto.randomUUID()}`));
      await refused(exchange, 404, () => owner.call('GET', `/v1/audit?resourceId=${crypto.randomUUID()}`));
      await refused(exchange, 400, () => owner.call('GET', '/v1/audit'));
    });
  });

  describe('audit and revocation', () => {
    let readerGrantId: string;

    beforeAll(async () => {
      readerGrantId = (await reader.call('GET', '/v1/grants?granted=to-me')).body.items[0].id;
    });

    it('records every read under a grant: who, when, under which grant (after the refused attempts on a grant, the grants and the audit trail)', async () => {
      expect((await reader.call('GET', `/v1/footprints/${footprintId}`)).status).toBe(200);
      const audit = await owner.call('GET', `/v1/audit?resourceId=${footprintId}`);
      expect(audit.status).toBe(200);
      expect(audit.body.items).toEqual([
        { outcome: 'refused', readerOrgId: stranger.id, reason: 'no-grant', what: 'grant', readAt: expect.any(String) },
        { outcome: 'refused', readerOrgId: reader.id, reason: 'insufficient-scope', what: 'grants', readAt: expect.any(String) },
        { outcome: 'refused', readerOrgId: reader.id, reason: 'insufficient-scope', what: 'audit', readAt: expect.any(String) },
        {
          outcome: 'read',
          readerOrgId: reader.id,
          grantId: readerGrantId,
          purpose: 'downstream-aggregation',
          scope: 'document',
          what: 'document',
          readAt: expect.any(String),
        },
      ]);
    });

    it('lets only the owner revoke', async () => {
      await refused(exchange, 404, () => reader.call('DELETE', `/v1/grants/${readerGrantId}`));
      await refused(exchange, 404, () => stranger.call('DELETE', `/v1/grants/${readerGrantId}`));
      await refused(exchange, 404, () => owner.call('DELETE', `/v1/grants/${crypto.randomUUID()}`));
    });

    it('revokes: reads stop at once, the grantee is told, and a second revocation is a conflict', async () => {
      const revoked = await owner.call('DELETE', `/v1/grants/${readerGrantId}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: readerGrantId, status: 'revoked', revokedAt: expect.any(String) });
      expect((await reader.call('GET', `/v1/footprints/${footprintId}`)).status).toBe(404);
      const notice = (await feedOf(reader)).find((e) => e.type === 'grant.revoked');
      expect(notice?.data).toEqual({ grantId: readerGrantId, ownerOrgId: owner.id, resource: { type: 'footprint', id: footprintId } });
      const again = await refused(exchange, 409, () => owner.call('DELETE', `/v1/grants/${readerGrantId}`));
      expect(again.code).toBe('grant-revoked');
    });
  });

  describe('refusals change nothing', () => {
    it("refuses a grant on someone else's resource, or on one that does not exist, with 404", async () => {
      await refused(exchange, 404, () => reader.call('POST', '/v1/grants', grantBody({ granteeOrgId: stranger.id })));
      await refused(exchange, 404, () => owner.call('POST', '/v1/grants', grantBody({ resource: { type: 'footprint', id: crypto.randomUUID() } })));
      await refused(exchange, 404, () => owner.call('POST', '/v1/grants', grantBody({ resource: { type: 'dd-report', id: footprintId } })));
    });

    it('refuses unknown fields, at the top and inside resource, with 400', async () => {
      const top = await refused(exchange, 400, () => owner.call('POST', '/v1/grants', { ...grantBody(), admin: true }));
      expect(top.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'admin' })]));
      const nested = await refused(exchange, 400, () =>
        owner.call('POST', '/v1/grants', grantBody({ resource: { type: 'footprint', id: footprintId, ownerOrgId: reader.id } })),
      );
      expect(nested.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'resource.ownerOrgId' })]));
    });

    it('refuses an expiresAt in the past, or not an RFC 3339 date-time, with 400', async () => {
      const past = await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ expiresAt: '2020-01-01T00:00:00Z' })));
      expect(past.code).toBe('expired-grant');
      expect(past.errors).toEqual([expect.objectContaining({ field: 'expiresAt' })]);
      await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ expiresAt: '2099-01-01' })));
    });

    it('refuses malformed or missing values, a grant to oneself and one to an unknown organization, with 400', async () => {
      await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ purpose: 'curiosity' })));
      await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ scope: undefined })));
      await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ resource: undefined })));
      await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ resource: 'footprint' })));
      expect((await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ granteeOrgId: owner.id })))).code).toBe('self-grant');
      expect((await refused(exchange, 400, () => owner.call('POST', '/v1/grants', grantBody({ granteeOrgId: crypto.randomUUID() })))).code).toBe(
        'unknown-grantee',
      );
    });

    it('refuses the operator (403) and a caller without a token (401)', async () => {
      await refused(exchange, 403, () => http(exchange, 'POST', '/v1/grants', { token: exchange.operatorToken, body: grantBody() }));
      await refused(exchange, 401, () => http(exchange, 'POST', '/v1/grants', { body: grantBody() }));
      await refused(exchange, 401, () => http(exchange, 'GET', '/v1/events'));
    });
  });

  describe('events feed', () => {
    it('always answers a next cursor to poll with, which stays put while nothing is new', async () => {
      const newcomer = await registerParticipant(exchange, 'Newcomer');
      const empty = await newcomer.call('GET', '/v1/events');
      expect(empty.body).toEqual({ items: [], next: expect.any(String) });
      expect((await newcomer.call('GET', `/v1/events?after=${empty.body.next}`)).body).toEqual(empty.body);
      const atEnd = await reader.call('GET', '/v1/events?limit=500');
      const polled = await reader.call('GET', `/v1/events?after=${atEnd.body.next}`);
      expect(polled.body).toEqual({ items: [], next: atEnd.body.next });
      const id = await grant(owner);
      const fresh = await reader.call('GET', `/v1/events?after=${atEnd.body.next}`);
      expect(fresh.body.items).toEqual([expect.objectContaining({ type: 'grant.created', data: expect.objectContaining({ grantId: id }) })]);
      expect(fresh.body.next).not.toBe(atEnd.body.next);
    });

    it('pages oldest first', async () => {
      const all = await feedOf(reader);
      const first = await reader.call('GET', '/v1/events?limit=1');
      const second = await reader.call('GET', `/v1/events?limit=1&after=${first.body.next}`);
      expect([...first.body.items, ...second.body.items]).toEqual(all.slice(0, 2));
      expect(all.map((e) => e.type)).toEqual(['grant.created', 'grant.revoked', 'grant.created']);
    });

    it('refuses a cursor it did not give out', async () => {
      expect((await refused(exchange, 400, () => reader.call('GET', '/v1/events?after=not-a-cursor'))).code).toBe('invalid-cursor');
    });
  });
});
