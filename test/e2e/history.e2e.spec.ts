import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateParticipantKey } from '@exchange/signing';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { footprintDraft, http, Participant, registerParticipant, submitFootprint } from '../support/participants';

const OWN = { rawMaterialAcquisition: '4.5', mainProduction: '3', distribution: '0.5', endOfLife: '0' };
const OWN_V2 = { rawMaterialAcquisition: '3.1', mainProduction: '2.4', distribution: '0.5', endOfLife: '0' };
const CAM_OWN = { rawMaterialAcquisition: '0.8', mainProduction: '9.5', distribution: '0.2', endOfLife: '0' };

describe('history: restarts, key rotation, versions and reproduce as of a time', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-history-'));
  let exchange: TestExchange;
  let cobalt: Participant;
  let cathode: Participant;
  let cobaltPart: string;
  let cathodePart: string;
  let v1: Awaited<ReturnType<typeof submitFootprint>>;
  let cam: Awaited<ReturnType<typeof submitFootprint>>;

  beforeAll(async () => {
    exchange = await startTestExchange({ dataDir });
    cobalt = await registerParticipant(exchange, 'Katanga Cobalt');
    cathode = await registerParticipant(exchange, 'Kanto Cathode');
    cobaltPart = await cobalt.registerPart('CS-7H2O');
    cathodePart = await cathode.registerPart('CAM-811');
    await cathode.setBom(cathodePart, [{ supplier: cobalt, partId: cobaltPart, quantity: '0.24' }]);
    const request = await cathode.call('POST', '/v1/requests', { kind: 'cfp', supplierOrgId: cobalt.id, supplierPartId: cobaltPart });
    v1 = await submitFootprint(cobalt, cobaltPart, OWN);
    expect((await cobalt.call('POST', `/v1/requests/${request.body.id}/answer`, { documentId: v1.id })).status).toBe(200);
    cam = await submitFootprint(cathode, cathodePart, CAM_OWN, [
      { footprintId: v1.id, version: 1, payloadSha256: v1.payloadSha256, quantity: '0.24' },
    ]);
  });
  afterAll(async () => {
    await exchange.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps pinned inputs when a new version supersedes them, and tells the issuers that pinned them', async () => {
    const v2 = await submitFootprint(cobalt, cobaltPart, OWN_V2, [], { id: v1.id, version: 2 });
    expect(v2.version).toBe(2);
    const versions = await cathode.call('GET', `/v1/footprints/${v1.id}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'active'],
    ]);
    const derivation = await cathode.call('GET', `/v1/footprints/${cam.id}/derivation`);
    expect(derivation.body.inputs[0]).toMatchObject({ footprintId: v1.id, version: 1, payloadSha256: v1.payloadSha256 });
    const feed = await cathode.call('GET', '/v1/events');
    const notice = feed.body.items.find((e: any) => e.type === 'footprint.input-superseded');
    expect(notice.data).toMatchObject({ footprintId: v1.id, version: 1, supersededBy: 2, pinnedBy: cam.id });
    const reproduced = await cathode.call('POST', `/v1/footprints/${cam.id}/reproduce`, {});
    expect(reproduced.body).toMatchObject({ reproduced: true, matchesRecorded: true, total: cam.document.total });
  });

  it('reproduces a footprint as of a time before its newer version', async () => {
    const before = await cobalt.call('POST', `/v1/footprints/${v1.id}/reproduce`, {
      asOf: new Date(Date.parse(cam.document.validFrom) + 0).toISOString(),
    });
    expect(before.status).toBe(404);
    const latest = await cobalt.call('POST', `/v1/footprints/${v1.id}/reproduce`, {});
    expect(latest.body).toMatchObject({ version: 2, matchesRecorded: true, total: { value: '6' } });
    const v1ReceivedAt = (await cobalt.call('GET', `/v1/footprints/${v1.id}?version=1`)).body.receivedAt;
    const asOfV1 = await cobalt.call('POST', `/v1/footprints/${v1.id}/reproduce`, { asOf: v1ReceivedAt });
    expect(asOfV1.body).toMatchObject({ version: 1, matchesRecorded: true, total: { value: '8' } });
  });

  it('rotates keys: new documents need the new key, old signatures still verify', async () => {
    const next = await generateParticipantKey('ES256');
    const rotated = await cobalt.call('PUT', `/v1/organizations/${cobalt.id}/jwks`, { keys: [next.publicJwk] });
    expect(rotated.status).toBe(200);
    expect(rotated.body.history.map((h: any) => h.status)).toEqual(['retired', 'current']);
    const verify = await cobalt.call('GET', `/v1/footprints/${v1.id}/verify?version=1`);
    expect(verify.body.ok).toBe(true);
    const { document, derivation } = footprintDraft({ issuer: cobalt.id, partId: cobaltPart, own: OWN, total: { ...OWN, value: '8' } });
    const withRetiredKey = await cobalt.call('POST', '/v1/footprints', { jws: await cobalt.sign(document, 'cfp+jws'), derivation });
    expect(withRetiredKey.status).toBe(422);
    expect(withRetiredKey.body.code).toBe('unknown-key');
    const withNewKey = await cobalt.call('POST', '/v1/footprints', { jws: await cobalt.sign(document, 'cfp+jws', next), derivation });
    expect(withNewKey.status).toBe(201);
  });

  it('keeps everything it acknowledged across a restart, with the same receipts and no repeated reactions', async () => {
    const before = await cathode.call('GET', `/v1/footprints/${cam.id}`);
    const feedBefore = await cathode.call('GET', '/v1/events?limit=500');
    const count = await exchange.eventCount();
    const jwks = await http(exchange, 'GET', '/.well-known/jwks.json');
    await exchange.app.close();
    exchange = await startTestExchange({ dataDir });
    expect(await exchange.eventCount()).toBe(count);
    expect((await http(exchange, 'GET', '/.well-known/jwks.json')).body).toEqual(jwks.body);
    const sameCathode = new Participant(exchange, cathode.id, cathode.name, cathode.token, cathode.key);
    const after = await sameCathode.call('GET', `/v1/footprints/${cam.id}`);
    expect(after.status).toBe(200);
    expect(after.body.receipt).toBe(before.body.receipt);
    expect(after.body.payloadSha256).toBe(before.body.payloadSha256);
    // The document, its JWS, the derivation and the feed are read back from the store: the same bytes.
    expect(JSON.stringify(after.body)).toBe(JSON.stringify(before.body));
    expect(after.body.derivation).toEqual(cam.derivation);
    expect(JSON.stringify((await sameCathode.call('GET', '/v1/events?limit=500')).body)).toBe(JSON.stringify(feedBefore.body));
    expect(await exchange.eventCount()).toBe(count + 0n);
  });

  it('answers 413 to a body larger than it accepts, and changes nothing', async () => {
    const count = await exchange.eventCount();
    const huge = await http(exchange, 'POST', '/v1/parts', {
      token: exchange.operatorToken,
      body: JSON.stringify({ partNumber: 'x'.repeat(2 * 1024 * 1024), name: 'n', declaredUnit: 'piece' }),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await exchange.eventCount()).toBe(count);
  });

  it('serves its OpenAPI document', async () => {
    const docs = await http(exchange, 'GET', '/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/footprints', '/v1/footprints/{id}/reproduce', '/v1/grants', '/v1/submissions', '/v1/events']),
    );
  });
});
