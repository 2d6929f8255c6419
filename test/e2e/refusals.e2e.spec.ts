import { canonicalJson } from '@exchange/domain';
import { unsecuredCompactByHand } from '@exchange/signing/testing/hand-made-jws';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { footprintDraft, registerParticipant, submitFootprint, type Participant } from '../support/participants';
import { refused, refusedRead } from '../support/refusals';

const OWN = { rawMaterialAcquisition: '5.2', mainProduction: '2.1', distribution: '0.4', endOfLife: '0' };
const TOTAL = { ...OWN, value: '7.7' };

describe('refusals: each is a clear problem and changes nothing', () => {
  let exchange: TestExchange;
  let supplier: Participant;
  let buyer: Participant;
  let stranger: Participant;
  let supplierPart: string;
  let buyerPart: string;
  let upstream: Awaited<ReturnType<typeof submitFootprint>>;

  beforeAll(async () => {
    exchange = await startTestExchange();
    supplier = await registerParticipant(exchange, 'Andes Lithium');
    buyer = await registerParticipant(exchange, 'Kanto Cathode', ['supplier'], 'ES256');
    stranger = await registerParticipant(exchange, 'Stranger');
    supplierPart = await supplier.registerPart('LC-BG-99.5');
    buyerPart = await buyer.registerPart('CAM-811');
    await buyer.setBom(buyerPart, [{ supplier, partId: supplierPart, quantity: '0.38' }]);
    upstream = await submitFootprint(supplier, supplierPart, OWN);
    const grant = await supplier.call('POST', '/v1/grants', {
      resource: { type: 'footprint', id: upstream.id },
      granteeOrgId: buyer.id,
      purpose: 'downstream-aggregation',
      scope: 'document',
    });
    expect(grant.status).toBe(201);
  });
  afterAll(() => exchange.stop());

  const draftFor = (p: Participant, partId: string, over: Partial<Parameters<typeof footprintDraft>[0]> = {}) =>
    footprintDraft({ issuer: p.id, partId, own: OWN, total: TOTAL, ...over });

  it('refuses a signature that does not verify', async () => {
    const { document, derivation } = draftFor(supplier, supplierPart);
    const jws = await supplier.sign(document, 'cfp+jws');
    const signatureStart = jws.lastIndexOf('.') + 1;
    const flipped = jws[signatureStart] === 'A' ? 'B' : 'A';
    const tampered = jws.slice(0, signatureStart) + flipped + jws.slice(signatureStart + 1);
    const body = await refused(exchange, 422, () => supplier.call('POST', '/v1/footprints', { jws: tampered, derivation }));
    expect(body.code).toBe('bad-signature');
  });

  it('refuses alg none', async () => {
    const { document, derivation } = draftFor(supplier, supplierPart);
    const jws = unsecuredCompactByHand({ alg: 'none', kid: supplier.key.kid, typ: 'cfp+jws' }, canonicalJson(document));
    const body = await refused(exchange, 422, () => supplier.call('POST', '/v1/footprints', { jws, derivation }));
    expect(body.code).toBe('unsupported-algorithm');
  });

  it("refuses a document signed with another organization's key, under its kid or the caller's", async () => {
    const { document, derivation } = draftFor(supplier, supplierPart);
    const foreign = await supplier.sign(document, 'cfp+jws', stranger.key);
    expect((await refused(exchange, 422, () => supplier.call('POST', '/v1/footprints', { jws: foreign, derivation }))).code).toBe('unknown-key');
    const underVictimKid = await supplier.sign(document, 'cfp+jws', { ...stranger.key, kid: supplier.key.kid });
    expect((await refused(exchange, 422, () => supplier.call('POST', '/v1/footprints', { jws: underVictimKid, derivation }))).code).toBe(
      'bad-signature',
    );
  });

  it('refuses a document whose issuer is not the caller', async () => {
    const { document, derivation } = draftFor(supplier, supplierPart);
    const jws = await stranger.sign(document, 'cfp+jws');
    expect((await refused(exchange, 403, () => stranger.call('POST', '/v1/footprints', { jws, derivation }))).code).toBe('issuer-mismatch');
  });

  it('refuses a tampered derivation', async () => {
    const { document, derivation } = draftFor(supplier, supplierPart);
    const jws = await supplier.sign(document, 'cfp+jws');
    const tampered = { ...derivation, own: { ...derivation.own, mainProduction: '2' } };
    const body = await refused(exchange, 422, () => supplier.call('POST', '/v1/footprints', { jws, derivation: tampered }));
    expect(body.code).toBe('derivation-hash-mismatch');
  });

  it('refuses a total off by 0.00001, naming the stage and the expected value', async () => {
    const inputs = [{ footprintId: upstream.id, version: 1, payloadSha256: upstream.payloadSha256, quantity: '0.38' }];
    const own = { rawMaterialAcquisition: '0.8', mainProduction: '9.5', distribution: '0.2', endOfLife: '0' };
    const total = { rawMaterialAcquisition: '2.776', mainProduction: '10.29801', distribution: '0.352', endOfLife: '0', value: '13.42601' };
    const { document, derivation } = draftFor(buyer, buyerPart, { own, inputs, total });
    const body = await refused(exchange, 422, () =>
      buyer.sign(document, 'cfp+jws').then((jws) => buyer.call('POST', '/v1/footprints', { jws, derivation })),
    );
    expect(body).toMatchObject({ code: 'total-mismatch', stage: 'mainProduction', expected: '10.298' });
    expect(body.detail).toContain('mainProduction');
  });

  it('refuses an input the submitter may not read exactly like an unknown one', async () => {
    const hidden = await submitFootprint(stranger, await stranger.registerPart('X-1'), OWN);
    const { document, derivation } = draftFor(buyer, buyerPart, {
      inputs: [{ footprintId: hidden.id, version: 1, payloadSha256: hidden.payloadSha256, quantity: '0.38' }],
    });
    const unreadable = await refused(exchange, 422, async () =>
      buyer.call('POST', '/v1/footprints', { jws: await buyer.sign(document, 'cfp+jws'), derivation }),
    );
    const unknownDraft = draftFor(buyer, buyerPart, {
      inputs: [{ footprintId: '00000000-0000-4000-8000-000000000000', version: 1, payloadSha256: hidden.payloadSha256, quantity: '0.38' }],
    });
    const unknown = await refused(exchange, 422, async () =>
      buyer.call('POST', '/v1/footprints', { jws: await buyer.sign(unknownDraft.document, 'cfp+jws'), derivation: unknownDraft.derivation }),
    );
    expect(unreadable.code).toBe('input-not-found');
    expect(unknown.code).toBe('input-not-found');
  });

  it('hides what the caller may not read: 404, and 403 for a derivation with scope document only', async () => {
    await refusedRead(exchange, 404, () => stranger.call('GET', `/v1/footprints/${upstream.id}`));
    await refusedRead(exchange, 404, () => stranger.call('GET', `/v1/footprints/${upstream.id}/derivation`));
    await refusedRead(exchange, 404, () => stranger.call('POST', `/v1/footprints/${upstream.id}/reproduce`, {}));
    await refusedRead(exchange, 404, () => stranger.call('GET', `/v1/footprints/${upstream.id}/verify`));
    const derivation = await buyer.call('GET', `/v1/footprints/${upstream.id}/derivation`);
    expect(derivation.status).toBe(403);
    const document = await buyer.call('GET', `/v1/footprints/${upstream.id}`);
    expect(document.status).toBe(200);
    expect(document.body.derivation).toBeUndefined();
  });

  it('stops reads at once when a grant is revoked', async () => {
    const grant = await supplier.call('POST', '/v1/grants', {
      resource: { type: 'footprint', id: upstream.id },
      granteeOrgId: stranger.id,
      purpose: 'verification',
      scope: 'document',
    });
    expect((await stranger.call('GET', `/v1/footprints/${upstream.id}`)).status).toBe(200);
    expect((await supplier.call('DELETE', `/v1/grants/${grant.body.id}`)).status).toBe(200);
    await refusedRead(exchange, 404, () => stranger.call('GET', `/v1/footprints/${upstream.id}`));
  });

  it('stops reads when a grant expires', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const grant = await supplier.call('POST', '/v1/grants', {
      resource: { type: 'footprint', id: upstream.id },
      granteeOrgId: stranger.id,
      purpose: 'verification',
      scope: 'document',
      expiresAt,
    });
    expect(grant.status).toBe(201);
    expect((await stranger.call('GET', `/v1/footprints/${upstream.id}`)).status).toBe(200);
    while (Date.now() <= Date.parse(expiresAt)) await new Promise((r) => setTimeout(r, 100));
    await refusedRead(exchange, 404, () => stranger.call('GET', `/v1/footprints/${upstream.id}`));
  });

  it('refuses unknown fields and wrong types with field errors', async () => {
    const body = await refused(exchange, 400, () =>
      supplier.call('POST', '/v1/parts', { partNumber: 'P', name: 'N', declaredUnit: 'kilogram', colour: 'red' }),
    );
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
    const typed = await refused(exchange, 400, () =>
      buyer.call('PUT', `/v1/parts/${buyerPart}/bom`, { inputs: [{ supplierOrgId: supplier.id, supplierPartId: supplierPart, quantity: 0.38 }] }),
    );
    expect(typed.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'inputs[0].quantity' })]));
    const { document, derivation } = draftFor(supplier, supplierPart);
    const extra = await refused(exchange, 400, async () =>
      supplier.call('POST', '/v1/footprints', { jws: await supplier.sign({ ...document, secretNote: 'x' }, 'cfp+jws'), derivation }),
    );
    expect(extra.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'document.secretNote' })]));
  });

  it('answers a replayed Idempotency-Key with the same answer and one event; another body with that key is a 409', async () => {
    const key = 'part-registration-1';
    const body = { partNumber: 'IDEMP-1', name: 'Idempotent', declaredUnit: 'kilogram' };
    const before = await exchange.eventCount();
    const first = await supplier.call('POST', '/v1/parts', body, { 'idempotency-key': key });
    const second = await supplier.call('POST', '/v1/parts', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await exchange.eventCount()).toBe(before + 1n);
    await refused(exchange, 409, () => supplier.call('POST', '/v1/parts', { ...body, name: 'Other' }, { 'idempotency-key': key }));
  });

  it('lets one of two concurrent second versions win; the other gets 409', async () => {
    const base = await submitFootprint(supplier, supplierPart, OWN);
    const before = await exchange.eventCount();
    const versionTwo = () => {
      const { document, derivation } = draftFor(supplier, supplierPart, { id: base.id, version: 2 });
      return supplier.sign(document, 'cfp+jws').then((jws) => supplier.call('POST', '/v1/footprints', { jws, derivation }));
    };
    const answers = await Promise.all([versionTwo(), versionTwo()]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await exchange.eventCount()).toBe(before + 1n);
    const skipping = await refused(exchange, 409, () => {
      const { document, derivation } = draftFor(supplier, supplierPart, { id: base.id, version: 4 });
      return supplier.sign(document, 'cfp+jws').then((jws) => supplier.call('POST', '/v1/footprints', { jws, derivation }));
    });
    expect(skipping.code).toBe('version-conflict');
  });

  it('refuses a caller without a token (401) and a participant on an operator endpoint (403)', async () => {
    await refused(exchange, 401, () =>
      fetch(`${exchange.baseUrl}/v1/parts`).then(async (r) => ({ status: r.status, body: await r.json(), headers: r.headers })),
    );
    await refused(exchange, 403, () =>
      supplier.call('POST', '/v1/organizations', { name: 'X', roles: ['supplier'], jwks: { keys: [supplier.key.publicJwk] } }),
    );
  });
});
