import { randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { canonicalSha256, OECD_STEPS, type DdInput, type DdReportDocument, type Smelter } from '@exchange/domain';
import { generateParticipantKey } from '@exchange/signing';
import { ddReportDraft, http, registerParticipant, submitDdReport, type Participant } from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { expectNoEvent } from '../support/refusals';

/** DD reports over HTTP: submission, reads under grants, the rollup up a linked chain, refusals. */
describe('DD reports (e2e)', () => {
  let exchange: TestExchange;
  let miner: Participant;
  let refiner: Participant;
  let oem: Participant;
  let outsider: Participant;
  let certifier: Participant;
  const parts: Record<string, string> = {};
  let leaf: { id: string; version: number; payloadSha256: string; receipt: string; document: DdReportDocument };
  let linked: { id: string; version: number; payloadSha256: string; receipt: string; document: DdReportDocument };

  const cobaltSmelter: Smelter = { id: 'CID002050', name: 'Katanga Cobalt Refinery', country: 'CD', mineral: 'cobalt', audit: 'active' };
  const nickelSmelter: Smelter = { id: 'CID003100', name: 'Sulawesi Nickel Works', country: 'ID', mineral: 'nickel', audit: 'conformant' };

  beforeAll(async () => {
    exchange = await startTestExchange();
    miner = await registerParticipant(exchange, 'Katanga Mining');
    refiner = await registerParticipant(exchange, 'Kanto Cathode');
    oem = await registerParticipant(exchange, 'Pack Maker', ['oem']);
    outsider = await registerParticipant(exchange, 'Somebody Else');
    certifier = await registerParticipant(exchange, 'Certifier', ['certifier']);
    parts.hydroxide = await miner.registerPart('cobalt-hydroxide');
    parts.sulfate = await refiner.registerPart('nickel-sulfate');
    parts.cathode = await refiner.registerPart('nmc811');
    parts.separator = await outsider.registerPart('separator');
    parts.pack = await oem.registerPart('pack', 'piece');
    await refiner.setBom(parts.cathode, [{ supplier: miner, partId: parts.hydroxide, quantity: '0.4' }]);
    await oem.setBom(parts.pack, [
      { supplier: refiner, partId: parts.cathode, quantity: '30' },
      { supplier: outsider, partId: parts.separator, quantity: '2' },
    ]);
  }, 60_000);

  afterAll(async () => {
    await exchange?.stop();
  });

  describe('a leaf report', () => {
    beforeAll(async () => {
      const document = ddReport(miner, parts.hydroxide, {
        minerals: ['cobalt'],
        smelters: [cobaltSmelter],
        risks: [{ category: 'child-labour', level: 'high', mitigation: 'CRAFT programme' }],
      });
      leaf = { ...(await submitted(miner, document)), document };
    });

    it('answers 201 with the id, the version, the payload hash and a receipt the exchange signed', async () => {
      expect(leaf).toMatchObject({ id: leaf.document.id, version: 1, payloadSha256: canonicalSha256(leaf.document) });
      const receipt = await verifiedReceipt(leaf.receipt);
      expect(receipt).toEqual({
        documentId: leaf.document.id,
        version: 1,
        payloadSha256: leaf.payloadSha256,
        position: expect.stringMatching(/^\d+$/),
        receivedAt: expect.any(String),
      });
    });

    it('answers a retry with the same Idempotency-Key alike, recording nothing twice', async () => {
      const document = ddReport(miner, parts.hydroxide, { minerals: ['cobalt'] });
      const body = { jws: await miner.sign(document, 'dd+jws') };
      const first = await miner.call('POST', '/v1/dd-reports', body, { 'idempotency-key': document.id });
      await expectNoEvent(exchange, async () => {
        const again = await miner.call('POST', '/v1/dd-reports', body, { 'idempotency-key': document.id });
        expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
      });
    });

    it('shows the issuer the report as signed, with the same receipt', async () => {
      const read = await miner.call('GET', `/v1/dd-reports/${leaf.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: leaf.id,
        version: 1,
        issuer: miner.id,
        status: 'active',
        document: leaf.document,
        payloadSha256: leaf.payloadSha256,
        receipt: leaf.receipt,
      });
      expect(read.body.jws.split('.')).toHaveLength(3);
    });

    it('hides the report from an organization without a grant (404) and records only the refused attempts in its audit trail', async () => {
      const [before, refusalsBefore] = [await exchange.eventCount(), await exchange.refusalCount()];
      const read = await refiner.call('GET', `/v1/dd-reports/${leaf.id}`);
      expect(read.status).toBe(404);
      expect(read.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await refiner.call('GET', `/v1/dd-reports/${leaf.id}/rollup`)).status).toBe(404);
      expect(await exchange.eventCount()).toBe(before);
      expect(await exchange.refusalCount()).toBe(refusalsBefore + 2n);
    });

    it('shows the report to a grantee once its request is answered, and audits the read', async () => {
      await share(miner, refiner, parts.hydroxide, leaf.id);
      const before = await exchange.eventCount();
      const read = await refiner.call('GET', `/v1/dd-reports/${leaf.id}`);
      expect(read.status).toBe(200);
      expect(read.body.document).toEqual(leaf.document);
      expect(await exchange.eventCount()).toBe(before + 1n);
    });
  });

  describe('a linked report and its rollup', () => {
    beforeAll(async () => {
      const document = ddReport(refiner, parts.cathode, {
        minerals: ['nickel'],
        smelters: [nickelSmelter],
        risks: [
          { category: 'child-labour', level: 'low' },
          { category: 'conflict', level: 'medium' },
        ],
        inputs: [pin(leaf)],
      });
      linked = { ...(await submitted(refiner, document)), document };
      await share(refiner, oem, parts.cathode, linked.id);
    });

    it('propagates minerals and the highest risk, naming the upstream smelter for a reader of the upstream report', async () => {
      const rollup = await refiner.call('GET', `/v1/dd-reports/${linked.id}/rollup`);
      expect(rollup.status).toBe(200);
      expect(rollup.body).toEqual({
        ddReportId: linked.id,
        minerals: ['cobalt', 'nickel'],
        coverage: { inputs: 1, withReport: 1 },
        highestRisk: { 'child-labour': 'high', conflict: 'medium' },
        smelters: [
          { id: cobaltSmelter.id, country: 'CD', mineral: 'cobalt', name: cobaltSmelter.name },
          { id: nickelSmelter.id, country: 'ID', mineral: 'nickel', name: nickelSmelter.name },
        ],
      });
    });

    it('hides the upstream smelter name from a caller who may not read the upstream report', async () => {
      expect((await oem.call('GET', `/v1/dd-reports/${leaf.id}`)).status).toBe(404);
      const rollup = await oem.call('GET', `/v1/dd-reports/${linked.id}/rollup`);
      expect(rollup.status).toBe(200);
      expect(rollup.body.minerals).toEqual(['cobalt', 'nickel']);
      expect(rollup.body.highestRisk).toEqual({ 'child-labour': 'high', conflict: 'medium' });
      expect(rollup.body.smelters).toEqual([
        { id: cobaltSmelter.id, country: 'CD', mineral: 'cobalt' },
        { id: nickelSmelter.id, country: 'ID', mineral: 'nickel', name: nickelSmelter.name },
      ]);
    });

    it('counts the BOM lines of the part and those covered by a linked report', async () => {
      const top = ddReport(oem, parts.pack, { minerals: [], inputs: [pin(linked)] });
      const answer = await submitted(oem, top);
      const rollup = await oem.call('GET', `/v1/dd-reports/${answer.id}/rollup`);
      expect(rollup.body).toMatchObject({
        minerals: ['cobalt', 'nickel'],
        coverage: { inputs: 2, withReport: 1 },
        highestRisk: { 'child-labour': 'high', conflict: 'medium' },
      });
    });

    it('keeps earlier versions readable and marks them superseded', async () => {
      const v2 = { ...leaf.document, version: 2, risks: [{ category: 'child-labour', level: 'medium' as const }] };
      const answer = await submitted(miner, v2);
      expect(answer).toMatchObject({ id: leaf.id, version: 2 });
      expect((await miner.call('GET', `/v1/dd-reports/${leaf.id}`)).body).toMatchObject({ version: 2, status: 'active' });
      expect((await miner.call('GET', `/v1/dd-reports/${leaf.id}?version=1`)).body).toMatchObject({
        version: 1,
        status: 'superseded',
        receipt: leaf.receipt,
      });
      expect((await miner.call('GET', `/v1/dd-reports/${leaf.id}?version=3`)).status).toBe(404);
      const rollup = await refiner.call('GET', `/v1/dd-reports/${linked.id}/rollup`);
      expect(rollup.body.highestRisk['child-labour']).toBe('high');
    });
  });

  describe('refusals change nothing', () => {
    let unreadable: { id: string; version: number; payloadSha256: string };

    beforeAll(async () => {
      unreadable = await submitted(outsider, ddReport(outsider, parts.separator));
    });

    it.each([
      ['an unknown input', () => ({ ddReportId: randomUUID(), version: 1, payloadSha256: leaf.payloadSha256 }), 'input-not-found'],
      ['an input the submitter may not read, exactly like an unknown one', () => pin(unreadable), 'input-not-found'],
      ['an input whose hash differs', () => ({ ...pin(leaf), payloadSha256: canonicalSha256({ other: true }) }), 'input-hash-mismatch'],
    ])('refuses %s with 422', async (_title, input, code) => {
      const answer = await refused(refiner, ddReport(refiner, parts.cathode, { inputs: [input()] }), 422);
      expect(answer.code).toBe(code);
      if (code === 'input-hash-mismatch') expect(answer.expected).toBe(leaf.payloadSha256);
      if (code === 'input-not-found') expect(answer.detail).not.toMatch(/permission|grant|read/i);
    });

    it('refuses an input whose part is not in the bill of materials (422)', async () => {
      const sulfate = ddReport(refiner, parts.sulfate, { minerals: ['nickel'] });
      const { id } = await submitted(refiner, sulfate);
      const answer = await refused(
        refiner,
        ddReport(refiner, parts.cathode, { inputs: [{ ddReportId: id, version: 1, payloadSha256: canonicalSha256(sulfate) }] }),
        422,
      );
      expect(answer.code).toBe('input-not-in-bom');
    });

    it('refuses version 2 of a report that has no version 1 (409)', async () => {
      const answer = await refused(miner, ddReport(miner, parts.hydroxide, { version: 2 }), 409);
      expect(answer).toMatchObject({ code: 'version-conflict', expectedVersion: 1 });
    });

    it('refuses a report about somebody else’s part (422)', async () => {
      expect((await refused(outsider, ddReport(outsider, parts.hydroxide), 422)).code).toBe('part-not-found');
    });

    it('refuses a report issued by another organization (403)', async () => {
      const document = { ...ddReport(miner, parts.hydroxide), issuer: refiner.id };
      expect((await refused(miner, document, 403)).code).toBe('issuer-mismatch');
    });

    it('refuses a signature by a key that is not registered (422)', async () => {
      const stranger = await generateParticipantKey('EdDSA');
      const jws = await miner.sign(ddReport(miner, parts.hydroxide), 'dd+jws', {
        ...stranger,
        kid: miner.key.kid,
        privateJwk: { ...stranger.privateJwk, kid: miner.key.kid },
      });
      await expectNoEvent(exchange, async () => {
        const answer = await miner.call('POST', '/v1/dd-reports', { jws });
        expect(answer.status).toBe(422);
        expect(answer.body.code).toBe('bad-signature');
      });
    });

    it('refuses the wrong typ (422)', async () => {
      await expectNoEvent(exchange, async () => {
        const answer = await miner.call('POST', '/v1/dd-reports', { jws: await miner.sign(ddReport(miner, parts.hydroxide), 'cfp+jws') });
        expect(answer.status).toBe(422);
      });
    });

    it('refuses unknown and invalid fields in the signed document (400, with field errors)', async () => {
      const document = { ...ddReport(miner, parts.hydroxide), extra: 1, minerals: ['gold'], smelters: [{ ...cobaltSmelter, country: 'XX' }] };
      const answer = await refused(miner, document as unknown as DdReportDocument, 400);
      const fields = answer.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['document.extra', 'document.minerals', 'document.smelters[0].country']));
    });

    it('refuses a document missing an OECD step (400)', async () => {
      const document = ddReport(miner, parts.hydroxide) as unknown as { oecdSteps: Record<string, unknown> };
      delete document.oecdSteps.reporting;
      const answer = await refused(miner, document as unknown as DdReportDocument, 400);
      expect(answer.errors.map((e: { field: string }) => e.field)).toContain('document.oecdSteps.reporting');
    });

    it('refuses unknown fields in the body (400) and a certifier (403)', async () => {
      await expectNoEvent(exchange, async () => {
        const jws = await miner.sign(ddReport(miner, parts.hydroxide), 'dd+jws');
        expect((await miner.call('POST', '/v1/dd-reports', { jws, extra: true })).status).toBe(400);
        expect(
          (await certifier.call('POST', '/v1/dd-reports', { jws: await certifier.sign(ddReport(certifier, parts.hydroxide), 'dd+jws') })).status,
        ).toBe(403);
        expect((await http(exchange, 'POST', '/v1/dd-reports', { body: { jws } })).status).toBe(401);
      });
    });
  });

  /** A DD report document with every OECD step implemented; `over` changes what a test needs. */
  /** A DD report document with every OECD step implemented and evidenced; `over` changes what a test needs. */
  function ddReport(issuer: Participant, partId: string, over: Partial<DdReportDocument> = {}): DdReportDocument {
    const oecdSteps = Object.fromEntries(
      OECD_STEPS.map((step) => [step, { status: 'implemented', evidence: `${step} policy` }]),
    ) as DdReportDocument['oecdSteps'];
    return ddReportDraft(issuer.id, partId, { oecdSteps, ...over });
  }

  function pin(report: { id: string; version: number; payloadSha256: string }): DdInput {
    return { ddReportId: report.id, version: report.version, payloadSha256: report.payloadSha256 };
  }

  const submitted = submitDdReport;

  /** Submits a document that must be refused with `status`, checking that no event was recorded. */
  async function refused(issuer: Participant, document: DdReportDocument, status: number) {
    let body: any;
    await expectNoEvent(exchange, async () => {
      const answer = await issuer.call('POST', '/v1/dd-reports', { jws: await issuer.sign(document, 'dd+jws') });
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      body = answer.body;
    });
    return body;
  }

  /** The downstream asks for the report and the owner answers: the reader gets a `document` grant. */
  async function share(owner: Participant, reader: Participant, partId: string, ddReportId: string) {
    const request = await reader.call('POST', '/v1/requests', { kind: 'dd', supplierOrgId: owner.id, supplierPartId: partId });
    expect(request.status).toBe(201);
    const answer = await owner.call('POST', `/v1/requests/${request.body.id}/answer`, { documentId: ddReportId });
    expect(answer.status).toBe(200);
  }

  async function verifiedReceipt(receipt: string) {
    const jwks = await http(exchange, 'GET', '/.well-known/jwks.json');
    const { payload, protectedHeader } = await compactVerify(receipt, createLocalJWKSet(jwks.body));
    expect(protectedHeader.typ).toBe('receipt+jws');
    return JSON.parse(new TextDecoder().decode(payload));
  }
});
