import { randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { canonicalSha256, perFunctionalUnit, type Acknowledgement, type Declaration, type Total } from '@exchange/domain';
import { generateParticipantKey } from '@exchange/signing';
import { ddReportDraft, http, registerParticipant, submitDdReport, submitFootprint, type Participant } from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { expectNoEvent } from '../support/refusals';
import { attest as attestAs, declarationOf as declarationWith, grant, type Submitted } from '../support/chain-steps';

const ENERGY_KWH = '120000';

/** Declarations to a regulator over HTTP: submission, inbox, acknowledgement, and every refusal changing nothing. */
describe('submissions (e2e)', () => {
  let exchange: TestExchange;
  let maker: Participant;
  let supplier: Participant;
  let certifier: Participant;
  let regulator: Participant;
  let otherRegulator: Participant;
  let footprint: Submitted;
  let attestationId: string;
  let ddReportId: string;
  let declaration: Declaration;
  let accepted: { id: string; version: number; payloadSha256: string; receipt: string; status: string };

  beforeAll(async () => {
    exchange = await startTestExchange();
    maker = await registerParticipant(exchange, 'Battery Maker', ['oem']);
    supplier = await registerParticipant(exchange, 'Cell Supplier');
    certifier = await registerParticipant(exchange, 'Certifier', ['certifier']);
    regulator = await registerParticipant(exchange, 'Market Surveillance', ['regulator']);
    otherRegulator = await registerParticipant(exchange, 'Another Authority', ['regulator']);
    const battery = await maker.registerPart('battery-75kwh', 'piece');
    footprint = await submitFootprint(
      maker,
      battery,
      { rawMaterialAcquisition: '7500', mainProduction: '1500', distribution: '120', endOfLife: '60' },
      [],
      { declaredUnit: 'piece' },
    );
    attestationId = await attest(footprint);
    ddReportId = await ownDdReport(maker, battery);
  }, 60_000);

  afterAll(async () => {
    await exchange?.stop();
  });

  describe('a declaration', () => {
    beforeAll(async () => {
      declaration = declarationOf(maker, footprint, { ddReportId, publicStudyUrl: 'https://example.com/cfp-study.pdf' });
      const answer = await maker.call('POST', '/v1/submissions', {
        regulatorOrgId: regulator.id,
        jws: await maker.sign(declaration, 'declaration+jws'),
      });
      expect(answer.status).toBe(201);
      accepted = answer.body;
    });

    it('answers 201 with the declaration id, version 1, the payload hash, a receipt and status received', async () => {
      expect(accepted).toMatchObject({ id: declaration.id, version: 1, payloadSha256: canonicalSha256(declaration), status: 'received' });
      expect(await verifiedReceipt(accepted.receipt)).toMatchObject({
        documentId: declaration.id,
        version: 1,
        payloadSha256: accepted.payloadSha256,
      });
    });

    it("lands in the regulator's inbox and in the issuer's sent list, and nowhere else", async () => {
      const inbox = await regulator.call('GET', '/v1/submissions');
      expect(inbox.body.items.map((s: { id: string }) => s.id)).toEqual([declaration.id]);
      expect((await maker.call('GET', '/v1/submissions')).body.items).toHaveLength(1);
      expect((await otherRegulator.call('GET', '/v1/submissions')).body).toEqual({ items: [] });
    });

    it('shows the regulator the signed declaration with the same receipt', async () => {
      const read = await regulator.call('GET', `/v1/submissions/${declaration.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: declaration.id,
        issuer: maker.id,
        regulatorOrgId: regulator.id,
        status: 'received',
        declaration,
        payloadSha256: accepted.payloadSha256,
        receipt: accepted.receipt,
        receivedAt: expect.any(String),
      });
      expect(read.body.acknowledgement).toBeUndefined();
    });

    it('grants the regulator a regulatory read of the footprint and its derivation', async () => {
      expect((await regulator.call('GET', `/v1/footprints/${footprint.id}`)).status).toBe(200);
      expect((await regulator.call('GET', `/v1/footprints/${footprint.id}/derivation`)).status).toBe(200);
    });

    it('hides the submission from everybody else (404), recording each refused attempt in its audit trail', async () => {
      const [before, refusalsBefore] = [await exchange.eventCount(), await exchange.refusalCount()];
      expect((await otherRegulator.call('GET', `/v1/submissions/${declaration.id}`)).status).toBe(404);
      expect((await supplier.call('GET', `/v1/submissions/${declaration.id}`)).status).toBe(404);
      expect(await exchange.eventCount()).toBe(before);
      expect(await exchange.refusalCount()).toBe(refusalsBefore + 2n);
      await expectNoEvent(exchange, async () => {
        expect((await regulator.call('GET', `/v1/submissions/${randomUUID()}`)).status).toBe(404);
      });
    });

    it('refuses the same declaration id twice (409)', async () => {
      await expectRefusal(maker, declaration, 409, 'duplicate-id');
    });
  });

  describe('the acknowledgement', () => {
    it('refuses an acknowledgement of another payload hash (422)', async () => {
      await expectNoEvent(exchange, async () => {
        const answer = await acknowledge(regulator, ackOf(regulator, { payloadSha256: canonicalSha256({ other: true }) }));
        expect(answer.status).toBe(422);
        expect(answer.body).toMatchObject({ code: 'payload-hash-mismatch', expected: accepted.payloadSha256 });
      });
    });

    it('refuses the issuer (403) and answers another regulator 404', async () => {
      await expectNoEvent(exchange, async () => {
        expect((await acknowledge(maker, ackOf(maker))).status).toBe(403);
        expect((await acknowledge(otherRegulator, ackOf(otherRegulator))).status).toBe(404);
      });
    });

    it('acknowledges with 200 and the submission, status acknowledged, seen by the issuer too', async () => {
      const ack = ackOf(regulator, { comments: 'Signatures and receipt verified.' });
      const answer = await acknowledge(regulator, ack);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: declaration.id,
        status: 'acknowledged',
        acknowledgement: { document: ack, payloadSha256: canonicalSha256(ack), acknowledgedAt: expect.any(String) },
      });
      expect((await maker.call('GET', `/v1/submissions/${declaration.id}`)).body).toMatchObject({
        status: 'acknowledged',
        acknowledgement: { document: ack },
      });
    });

    it('refuses a second acknowledgement (409)', async () => {
      await expectNoEvent(exchange, async () => {
        const answer = await acknowledge(regulator, ackOf(regulator));
        expect(answer.status).toBe(409);
        expect(answer.body.code).toBe('already-acknowledged');
      });
    });
  });

  describe('refusals change nothing', () => {
    it('refuses a certifier and a regulator as submitters (403)', async () => {
      await expectNoEvent(exchange, async () => {
        for (const who of [certifier, regulator]) {
          const answer = await who.call('POST', '/v1/submissions', {
            regulatorOrgId: regulator.id,
            jws: await who.sign(declarationOf(who, footprint), 'declaration+jws'),
          });
          expect(answer.status).toBe(403);
        }
      });
    });

    it('refuses an unknown footprint, or somebody else’s (422)', async () => {
      await expectRefusal(maker, declarationOf(maker, { ...footprint, id: randomUUID() }), 422, 'footprint-not-found');
      await expectRefusal(maker, declarationOf(maker, { ...footprint, version: 2 }), 422, 'footprint-not-found');
      await expectRefusal(supplier, declarationOf(supplier, footprint), 422, 'footprint-not-found');
    });

    it('refuses a receiver that is not a regulator (422)', async () => {
      await expectRefusal(maker, declarationOf(maker, footprint), 422, 'unknown-regulator', supplier.id);
      await expectRefusal(maker, declarationOf(maker, footprint), 422, 'unknown-regulator', randomUUID());
    });

    it('refuses a declaration without a "verified" attestation of the version (422)', async () => {
      await expectRefusal(maker, declarationOf(maker, footprint, { attestationIds: [] }), 422, 'not-attested');
      await expectRefusal(maker, declarationOf(maker, footprint, { attestationIds: [randomUUID()] }), 422, 'attestation-not-found');
    });

    it('refuses figures that are not the footprint divided by the energy, naming the expected value (422)', async () => {
      const expected = perFunctionalUnit(footprint.document.total as Total, ENERGY_KWH);
      const body = await expectRefusal(maker, declarationOf(maker, footprint, { cfpPerFunctionalUnit: '0.1' }), 422, 'declaration-mismatch');
      expect(body.expected).toBe(expected.cfpPerFunctionalUnit);
      const stage = await expectRefusal(
        maker,
        declarationOf(maker, footprint, { cfpPerStage: { ...expected.cfpPerStage, distribution: '0.5' } }),
        422,
        'declaration-mismatch',
      );
      expect(stage).toMatchObject({ stage: 'distribution', expected: expected.cfpPerStage.distribution });
    });

    it('refuses a DD report the issuer may not read, exactly like an unknown one (422)', async () => {
      const suppliers = await ownDdReport(supplier, await supplier.registerPart('cell'));
      await expectRefusal(maker, declarationOf(maker, footprint, { ddReportId: suppliers }), 422, 'dd-report-not-found');
      await expectRefusal(maker, declarationOf(maker, footprint, { ddReportId: randomUUID() }), 422, 'dd-report-not-found');
    });

    it('refuses a signature by a key that is not registered, and the wrong typ (422)', async () => {
      const stranger = await generateParticipantKey('EdDSA');
      const forged = await maker.sign(declarationOf(maker, footprint), 'declaration+jws', {
        ...stranger,
        kid: maker.key.kid,
        privateJwk: { ...stranger.privateJwk, kid: maker.key.kid },
      });
      await expectNoEvent(exchange, async () => {
        expect((await maker.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws: forged })).body).toMatchObject({
          status: 422,
          code: 'bad-signature',
        });
        const wrongTyp = await maker.sign(declarationOf(maker, footprint), 'cfp+jws');
        expect((await maker.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws: wrongTyp })).status).toBe(422);
      });
    });

    it('refuses unknown and invalid fields in the declaration (400, with field errors)', async () => {
      const invalid = {
        ...declarationOf(maker, footprint),
        extra: 1,
        energyOverServiceLifeKWh: '0',
        cfpPerFunctionalUnit: '0.07650',
        publicStudyUrl: 'http://example.com/study',
      };
      const body = await expectRefusal(maker, invalid as unknown as Declaration, 400, 'validation-failed');
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['document.extra', 'document.energyOverServiceLifeKWh', 'document.cfpPerFunctionalUnit', 'document.publicStudyUrl']),
      );
    });

    it('refuses unknown fields in the body and a missing token', async () => {
      await expectNoEvent(exchange, async () => {
        const jws = await maker.sign(declarationOf(maker, footprint), 'declaration+jws');
        expect((await maker.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws, extra: true })).status).toBe(400);
        expect((await maker.call('POST', '/v1/submissions', { jws })).status).toBe(400);
        expect((await http(exchange, 'POST', '/v1/submissions', { body: { regulatorOrgId: regulator.id, jws } })).status).toBe(401);
      });
    });
  });

  /** A declaration of `fp` whose figures hold unless `over` changes them. */
  const declarationOf = (issuer: Participant, fp: Submitted, over: Partial<Declaration> = {}) =>
    declarationWith(issuer, fp, [attestationId], ENERGY_KWH, over);

  function ackOf(issuer: Participant, over: Partial<Acknowledgement> = {}): Acknowledgement {
    return { id: randomUUID(), issuer: issuer.id, submissionId: declaration.id, payloadSha256: accepted.payloadSha256, result: 'accepted', ...over };
  }

  async function acknowledge(who: Participant, ack: Acknowledgement) {
    return who.call('POST', `/v1/submissions/${declaration.id}/acknowledge`, { jws: await who.sign(ack, 'ack+jws') });
  }

  /** Submits a declaration that must be refused with `status` and `code`, checking that no event was recorded. */
  async function expectRefusal(issuer: Participant, document: Declaration, status: number, code: string, regulatorOrgId = regulator.id) {
    let body: any;
    await expectNoEvent(exchange, async () => {
      const answer = await issuer.call('POST', '/v1/submissions', { regulatorOrgId, jws: await issuer.sign(document, 'declaration+jws') });
      expect(answer.body).toMatchObject({ status, code });
      expect(answer.status).toBe(status);
      body = answer.body;
    });
    return body;
  }

  /** The maker grants the certifier a verification read; the certifier attests the version "verified". */
  async function attest(fp: Submitted): Promise<string> {
    await grant(maker, 'footprint', fp.id, certifier, 'verification', 'derivation');
    return attestAs(certifier, fp);
  }

  const ownDdReport = async (issuer: Participant, partId: string) =>
    (await submitDdReport(issuer, ddReportDraft(issuer.id, partId, { minerals: ['lithium'] }))).id;

  async function verifiedReceipt(receipt: string) {
    const jwks = await http(exchange, 'GET', '/.well-known/jwks.json');
    const { payload, protectedHeader } = await compactVerify(receipt, createLocalJWKSet(jwks.body));
    expect(protectedHeader.typ).toBe('receipt+jws');
    return JSON.parse(new TextDecoder().decode(payload));
  }
});
