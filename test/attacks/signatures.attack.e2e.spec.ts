import { randomUUID } from 'node:crypto';
import { canonicalJson } from '@exchange/domain/canonical';
import { type StageFigures } from '@exchange/domain';
import { decodeJwsUnverified, generateParticipantKey, type ParticipantKey } from '@exchange/signing';
import { Clock } from '../../apps/exchange/src/infrastructure/clock';
import { base64UrlOf, hmacCompactByHand, signCompactByHand, unsecuredCompactByHand } from '@exchange/signing/testing/hand-made-jws';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { ddReportDraft, footprintDraft, Participant, registerParticipant, submitFootprint, type HttpAnswer } from '../support/participants';
import { refused } from '../support/refusals';
import { describeAnswer, recordAttack } from './support/attack-table';

/**
 * Signed documents under attack: forged, confused, re-keyed, smuggled and ambiguous JWS on every
 * endpoint that takes one. Each attack is refused with the signing library's code (422), or 400
 * where the body or the signed payload breaks the schema, and appends no event.
 */
describe('attacks on signed documents', () => {
  let exchange: TestExchange;
  /** The victim: a supplier whose documents the attacks try to forge. */
  let victim: Participant;
  /** Another organization with its own registered key. */
  let attacker: Participant;
  /** An organization that registered its own key under the victim's kid. */
  /** An organization that registered its own key under the victim's kid. */
  let kidSquatter: Participant;
  /** An organization that registered the victim's public key as its own. */
  let keyCopier: Participant;
  let certifier: Participant;
  let regulator: Participant;
  let partId: string;
  let attested: Awaited<ReturnType<typeof submitFootprint>>;

  const OWN: StageFigures = { rawMaterialAcquisition: '1.5', mainProduction: '5', distribution: '0.2', endOfLife: '1' };
  const TOTAL = { ...OWN, value: '7.7' };

  beforeAll(async () => {
    exchange = await startTestExchange();
    victim = await registerParticipant(exchange, 'Victim Cobalt');
    attacker = await registerParticipant(exchange, 'Attacker Metals');
    certifier = await registerParticipant(exchange, 'Honest Certifier', ['certifier']);
    regulator = await registerParticipant(exchange, 'Regulator', ['regulator']);
    partId = await victim.registerPart('cobalt-sulfate');

    kidSquatter = await registerWithJwk('Kid Squatter', (key) => ({ ...key.publicJwk, kid: victim.key.kid }));
    keyCopier = await registerWithJwk('Key Copier', () => victim.key.publicJwk);

    attested = await submitFootprint(victim, partId, OWN);
    const grant = await victim.call('POST', '/v1/grants', {
      resource: { type: 'footprint', id: attested.id },
      granteeOrgId: certifier.id,
      purpose: 'verification',
      scope: 'document',
    });
    if (grant.status !== 201) throw new Error(`grant: ${grant.status} ${JSON.stringify(grant.body)}`);
  }, 60_000);

  afterAll(async () => {
    await exchange?.stop();
  });

  /** Registers a supplier, then rotates its JWKS to `jwkOf(fresh)`; the participant signs with the fresh key pair. */
  async function registerWithJwk(name: string, jwkOf: (fresh: ParticipantKey) => object): Promise<Participant> {
    const base = await registerParticipant(exchange, name);
    const fresh = await generateParticipantKey('EdDSA');
    const rotated = await base.call('PUT', `/v1/organizations/${base.id}/jwks`, { keys: [jwkOf(fresh)] });
    if (rotated.status !== 200) throw new Error(`rotate: ${rotated.status} ${JSON.stringify(rotated.body)}`);
    return new Participant(exchange, base.id, base.name, base.token, fresh);
  }

  /** A footprint of the victim's part that the exchange would accept if it were signed properly. */
  function footprint(over: { issuer?: string } = {}) {
    return footprintDraft({ issuer: over.issuer ?? victim.id, partId, own: OWN, total: TOTAL });
  }

  const ddReport = (issuer: Participant = victim) => ddReportDraft(issuer.id, partId);

  function attestation() {
    return {
      id: randomUUID(),
      issuer: certifier.id,
      footprintId: attested.id,
      version: attested.version,
      payloadSha256: attested.payloadSha256,
      derivationSha256: attested.document.derivationSha256,
      result: 'verified',
      standard: 'ISO 14067',
      findings: [],
      validUntil: '2030-01-01T00:00:00Z',
    };
  }

  const header = (typ: string, key: ParticipantKey, over: Record<string, unknown> = {}) => ({ alg: key.alg, kid: key.kid, typ, ...over });

  /**
   * Runs one attack: records its row (observed from the real answer and the events it appended)
   * before asserting that it was refused as `status` problem+json with `code`, and no event.
   */
  async function attack(name: string, status: number, code: string, call: () => Promise<HttpAnswer>): Promise<any> {
    const expected = `${status} ${code}, no event`;
    const body = await refused(exchange, status, async () => {
      const before = await exchange.eventCount();
      const answer = await call();
      recordAttack({ attack: name, expected, observed: describeAnswer(answer, (await exchange.eventCount()) - before) });
      return answer;
    });
    expect(body.code).toBe(code);
    return body;
  }

  const postFootprint = (as: Participant, jws: unknown, derivation: unknown) => as.call('POST', '/v1/footprints', { jws, derivation });
  const postDdReport = (as: Participant, jws: unknown) => as.call('POST', '/v1/dd-reports', { jws });
  const postAttestation = (as: Participant, jws: unknown) => as.call('POST', `/v1/footprints/${attested.id}/attestations`, { jws });

  describe('controls: the same documents, properly signed, are accepted', () => {
    it('accepts a footprint, a DD report and an attestation signed with the registered key', async () => {
      const { document, derivation } = footprint();
      expect((await postFootprint(victim, await victim.sign(document, 'cfp+jws'), derivation)).status).toBe(201);
      expect((await postDdReport(victim, await victim.sign(ddReport(), 'dd+jws'))).status).toBe(201);
      expect((await postAttestation(certifier, await certifier.sign(attestation(), 'attestation+jws'))).status).toBe(201);
    });
  });

  describe('POST /v1/footprints', () => {
    it('refuses alg "none"', async () => {
      const { document, derivation } = footprint();
      const jws = unsecuredCompactByHand({ alg: 'none', kid: victim.key.kid, typ: 'cfp+jws' }, canonicalJson(document));
      await attack('footprint: alg none', 422, 'unsupported-algorithm', () => postFootprint(victim, jws, derivation));
    });

    it("refuses HS256 keyed with the issuer's public key (raw x bytes, and the JWK as JSON)", async () => {
      const { document, derivation } = footprint();
      const hs = { alg: 'HS256', kid: victim.key.kid, typ: 'cfp+jws' };
      const rawX = Buffer.from(victim.key.publicJwk.x, 'base64url');
      await attack('footprint: HS256 keyed with the issuer public key (raw x)', 422, 'unsupported-algorithm', () =>
        postFootprint(victim, hmacCompactByHand(hs, canonicalJson(document), rawX), derivation),
      );
      for (const [label, secret] of [
        ['JSON', JSON.stringify(victim.key.publicJwk)],
        ['canonical JSON', canonicalJson(victim.key.publicJwk)],
      ] as const) {
        const next = footprint();
        await attack(`footprint: HS256 keyed with the issuer public JWK (${label})`, 422, 'unsupported-algorithm', () =>
          postFootprint(victim, hmacCompactByHand(hs, canonicalJson(next.document), secret), next.derivation),
        );
      }
    });

    it("refuses a valid signature by another organization's key carrying the victim's kid", async () => {
      const { document, derivation } = footprint();
      const forged = signCompactByHand(header('cfp+jws', victim.key), canonicalJson(document), attacker.key.privateJwk);
      await attack("footprint: another org's key under the victim's kid", 422, 'bad-signature', () => postFootprint(victim, forged, derivation));

      // The squatter registered its own key under the victim's kid: kids resolve per issuer, so it still fails.
      const next = footprint();
      const squatted = signCompactByHand(header('cfp+jws', victim.key), canonicalJson(next.document), kidSquatter.key.privateJwk);
      await attack("footprint: key registered by another org under the victim's kid", 422, 'bad-signature', () =>
        postFootprint(victim, squatted, next.derivation),
      );
    });

    it("refuses an ES256 signature under the victim's Ed25519 kid", async () => {
      const { document, derivation } = footprint();
      const ec = await generateParticipantKey('ES256');
      const forged = signCompactByHand({ alg: 'ES256', kid: victim.key.kid, typ: 'cfp+jws' }, canonicalJson(document), ec.privateJwk);
      await attack("footprint: ES256 under the victim's Ed25519 kid", 422, 'key-algorithm-mismatch', () => postFootprint(victim, forged, derivation));
    });

    it('refuses a key embedded in the header (jwk, jku, x5u, x5c)', async () => {
      const embedded: [string, unknown][] = [
        ['jwk', attacker.key.publicJwk],
        ['jku', 'https://attacker.example/jwks.json'],
        ['x5u', 'https://attacker.example/cert.pem'],
        ['x5c', ['MIIBszCCAVmgAwIBAgIUexample']],
      ];
      for (const [parameter, value] of embedded) {
        const { document, derivation } = footprint();
        // Signed with the attacker's key under the victim's kid: only the embedded key would make it verify.
        const jws = signCompactByHand(header('cfp+jws', victim.key, { [parameter]: value }), canonicalJson(document), attacker.key.privateJwk);
        await attack(`footprint: key embedded in the header (${parameter})`, 422, 'embedded-key-refused', () =>
          postFootprint(victim, jws, derivation),
        );
      }
    });

    it('refuses an unknown crit, even with a genuine signature', async () => {
      const { document, derivation } = footprint();
      const jws = signCompactByHand(
        header('cfp+jws', victim.key, { crit: ['urn:attacker:ignore-me'], 'urn:attacker:ignore-me': true }),
        canonicalJson(document),
        victim.key.privateJwk,
      );
      await attack('footprint: unknown crit (genuine signature)', 422, 'unsupported-crit', () => postFootprint(victim, jws, derivation));
    });

    it('refuses b64: false, with and without crit (genuine signature)', async () => {
      // RFC 7797 form: b64 must be listed in crit, so this is refused as a critical extension we do not understand.
      const { document, derivation } = footprint();
      const withCrit = signCompactByHand(
        header('cfp+jws', victim.key, { b64: false, crit: ['b64'] }),
        canonicalJson(document),
        victim.key.privateJwk,
      );
      await attack('footprint: b64 false with crit ["b64"] (genuine signature)', 422, 'unsupported-crit', () =>
        postFootprint(victim, withCrit, derivation),
      );
      const next = footprint();
      const bare = signCompactByHand(header('cfp+jws', victim.key, { b64: false }), canonicalJson(next.document), victim.key.privateJwk);
      await attack('footprint: b64 false without crit (genuine signature)', 422, 'unsupported-b64', () =>
        postFootprint(victim, bare, next.derivation),
      );
    });

    it('refuses a payload with duplicate JSON keys (genuine signature)', async () => {
      const { document, derivation } = footprint();
      const canonical = canonicalJson(document);
      // A second "total" after the real one: a last-wins parser would read 0.1, a first-wins parser 7.7.
      const cheaper = canonicalJson({ ...TOTAL, mainProduction: '0.1', value: '2.8' });
      const duplicated = `${canonical.slice(0, -1)},"total":${cheaper}}`;
      const jws = signCompactByHand(header('cfp+jws', victim.key), duplicated, victim.key.privateJwk);
      await attack('footprint: duplicate JSON keys in the payload (genuine signature)', 422, 'payload-not-canonical', () =>
        postFootprint(victim, jws, derivation),
      );
    });

    it('refuses a protected header with duplicate parameter names (genuine signature)', async () => {
      // JSON.parse (and jose) keep the last value; a first-wins verifier downstream would see alg none, or a DD report.
      const kid = JSON.stringify(victim.key.kid);
      const headers: [string, string][] = [
        ['alg none, then EdDSA', `{"alg":"none","kid":${kid},"typ":"cfp+jws","alg":"EdDSA"}`],
        ['typ dd+jws, then cfp+jws', `{"alg":"EdDSA","typ":"dd+jws","kid":${kid},"typ":"cfp+jws"}`],
        ['kid of another key, then the real kid', `{"alg":"EdDSA","kid":"attacker-key","typ":"cfp+jws","kid":${kid}}`],
      ];
      for (const [label, text] of headers) {
        const { document, derivation } = footprint();
        const jws = signCompactByHand(text, canonicalJson(document), victim.key.privateJwk);
        await attack(`footprint: duplicate header parameters, ${label} (genuine signature)`, 422, 'malformed-jws', () =>
          postFootprint(victim, jws, derivation),
        );
      }
    });

    it('refuses a number where a decimal string is required (genuine signature)', async () => {
      const { document, derivation } = footprint();
      const jws = await victim.sign({ ...document, total: { ...TOTAL, value: 7.7 } }, 'cfp+jws');
      const body = await attack('footprint: total.value 7.7 as a JSON number (genuine signature)', 400, 'validation-failed', () =>
        postFootprint(victim, jws, derivation),
      );
      expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'document.total.value' })]));
    });

    it('refuses a signature by a key retired (PUT /jwks) before the submission', async () => {
      const rotating = await registerParticipant(exchange, 'Rotating Nickel');
      const rotatingPart = await rotating.registerPart('nickel-sulfate');
      const next = await generateParticipantKey('EdDSA');
      const rotated = await rotating.call('PUT', `/v1/organizations/${rotating.id}/jwks`, { keys: [next.publicJwk] });
      expect(rotated.status).toBe(200);
      const draft = () => footprintDraft({ issuer: rotating.id, partId: rotatingPart, own: OWN, total: TOTAL });
      const { document, derivation } = draft();
      const retiredJws = await rotating.sign(document, 'cfp+jws');
      await attack('footprint: signed with a key retired before the submission', 422, 'unknown-key', () =>
        postFootprint(rotating, retiredJws, derivation),
      );
      const fresh = draft();
      expect((await postFootprint(rotating, await rotating.sign(fresh.document, 'cfp+jws', next), fresh.derivation)).status).toBe(201);
    });

    it('never records a document as received after the key that signed it was retired (rotation racing a submission)', async () => {
      // The race, made deterministic with the exchange's clock: the request's instant is t1, a rotation
      // retires the key at t2, and any later reading of the clock gives t3 > t2. What the exchange records
      // must stay verifiable: the key must have been valid at the recorded receivedAt (one instant, t1,
      // serves both the key check and the stamp).
      const clock = exchange.app.get(Clock);
      const realNow = clock.now;
      const racing = await registerParticipant(exchange, 'Racing Graphite');
      const racingPart = await racing.registerPart('spherical-graphite');
      const retiredAt = new Date(Date.now() + 60_000).toISOString();
      const stampedAt = new Date(Date.now() + 61_000).toISOString();
      try {
        clock.now = () => retiredAt;
        const rotated = await racing.call('PUT', `/v1/organizations/${racing.id}/jwks`, {
          keys: [(await generateParticipantKey('EdDSA')).publicJwk],
        });
        expect(rotated.status).toBe(200);
        let calls = 0;
        clock.now = () => (calls++ === 0 ? realNow.call(clock) : stampedAt);
        const { document, derivation } = footprintDraft({ issuer: racing.id, partId: racingPart, own: OWN, total: TOTAL });
        const before = await exchange.eventCount();
        const answer = await postFootprint(racing, await racing.sign(document, 'cfp+jws'), derivation);
        const appended = (await exchange.eventCount()) - before;
        clock.now = realNow;
        const receivedAt = answer.status === 201 ? (decodeJwsUnverified(answer.body.receipt).payload as { receivedAt: string }) : undefined;
        const verify = answer.status === 201 ? await racing.call('GET', `/v1/footprints/${document.id}/verify`) : undefined;
        const issuerCheck = verify?.body.checks.find((check: { name: string }) => check.name.endsWith('issuer signature'));
        const observed = receivedAt
          ? `201, received ${receivedAt.receivedAt < retiredAt ? 'while its key was current' : 'after its key was retired'}, /verify issuer signature ${issuerCheck?.ok ? 'ok' : 'fails'}`
          : describeAnswer(answer, appended);
        const expected = '201, received while its key was current, /verify issuer signature ok';
        recordAttack({ attack: 'footprint: key retired between the key check and the receipt stamp (rotation race)', expected, observed });
        expect(observed).toBe(expected);
      } finally {
        clock.now = realNow;
      }
    });

    it('refuses a multi-signature document (JWS JSON serialization, one good and one bad signature) however it is sent', async () => {
      // Only the compact serialization is accepted, so there is exactly one signature and it must verify.
      // Anything else is not a compact JWS: 400 validation-failed on the `jws` field, before any verification.
      const variants: [string, (general: ReturnType<typeof multiSigned>) => unknown][] = [
        ['general JSON serialization as the jws string, good signature first', (g) => JSON.stringify(g.goodFirst)],
        ['general JSON serialization as the jws string, bad signature first', (g) => JSON.stringify(g.badFirst)],
        ['general JSON serialization as a JSON object', (g) => g.goodFirst],
        ['flattened JSON serialization (one good signature) as the jws string', (g) => JSON.stringify(g.flattened)],
      ];
      for (const [label, as] of variants) {
        const { document, derivation } = footprint();
        const body = await attack(`footprint: multi-signature JWS, ${label}`, 400, 'validation-failed', () =>
          postFootprint(victim, as(multiSigned(document, 'cfp+jws')), derivation),
        );
        expect(body.errors).toContainEqual({ field: 'jws', message: 'jws must be a compact JWS' });
        expect(body.errors.every((error: { field: string }) => error.field === 'jws')).toBe(true);
      }
    });

    it("refuses another organization's valid JWS replayed by an organization that registered the victim's public key", async () => {
      const { document, derivation } = footprint();
      const intercepted = await victim.sign(document, 'cfp+jws');
      await attack("footprint: victim's JWS replayed by an org holding the victim's public key", 403, 'issuer-mismatch', () =>
        postFootprint(keyCopier, intercepted, derivation),
      );
      await attack(
        "footprint: victim's JWS replayed by an org without that key (the issuer is checked before the signature)",
        403,
        'issuer-mismatch',
        () => postFootprint(attacker, intercepted, derivation),
      );
    });

    it('refuses a JWS of another type (a DD report, an exchange receipt, an access token) submitted as a footprint', async () => {
      const { derivation } = footprint();
      const dd = await victim.sign(ddReport(), 'dd+jws');
      await attack('footprint: a signed DD report (typ dd+jws) submitted as a footprint', 422, 'wrong-typ', () =>
        postFootprint(victim, dd, derivation),
      );
      await attack('footprint: an exchange receipt submitted as a footprint', 422, 'wrong-typ', () =>
        postFootprint(victim, attested.receipt, derivation),
      );
      await attack("footprint: the caller's access token submitted as a footprint", 422, 'wrong-typ', () =>
        postFootprint(victim, victim.token, derivation),
      );
    });
  });

  describe('POST /v1/dd-reports', () => {
    it('refuses alg none, HS256 with the public key, a foreign key under the kid, an embedded jwk and a multi-signature JWS', async () => {
      const payload = () => canonicalJson(ddReport());
      await attack('dd-report: alg none', 422, 'unsupported-algorithm', () =>
        postDdReport(victim, unsecuredCompactByHand({ alg: 'none', kid: victim.key.kid, typ: 'dd+jws' }, payload())),
      );
      await attack('dd-report: HS256 keyed with the issuer public key (raw x)', 422, 'unsupported-algorithm', () =>
        postDdReport(
          victim,
          hmacCompactByHand({ alg: 'HS256', kid: victim.key.kid, typ: 'dd+jws' }, payload(), Buffer.from(victim.key.publicJwk.x, 'base64url')),
        ),
      );
      await attack("dd-report: another org's key under the victim's kid", 422, 'bad-signature', () =>
        postDdReport(victim, signCompactByHand(header('dd+jws', victim.key), payload(), attacker.key.privateJwk)),
      );
      await attack('dd-report: key embedded in the header (jwk)', 422, 'embedded-key-refused', () =>
        postDdReport(victim, signCompactByHand(header('dd+jws', attacker.key, { jwk: attacker.key.publicJwk }), payload(), attacker.key.privateJwk)),
      );
      await attack('dd-report: unknown crit (genuine signature)', 422, 'unsupported-crit', () =>
        postDdReport(victim, signCompactByHand(header('dd+jws', victim.key, { crit: ['exp'], exp: 1 }), payload(), victim.key.privateJwk)),
      );
      await attack('dd-report: multi-signature JWS (general JSON serialization)', 400, 'validation-failed', () =>
        postDdReport(victim, JSON.stringify(multiSigned(ddReport(), 'dd+jws').goodFirst)),
      );
    });

    it("refuses a signature by a retired key and a replay by an organization holding the victim's public key", async () => {
      const rotating = await registerParticipant(exchange, 'Rotating Lithium');
      const rotatingPart = await rotating.registerPart('lithium-carbonate');
      const oldKey = rotating.key;
      expect(
        (await rotating.call('PUT', `/v1/organizations/${rotating.id}/jwks`, { keys: [(await generateParticipantKey('ES256')).publicJwk] })).status,
      ).toBe(200);
      const report = { ...ddReport(rotating), partId: rotatingPart };
      await attack('dd-report: signed with a key retired before the submission', 422, 'unknown-key', async () =>
        postDdReport(rotating, await rotating.sign(report, 'dd+jws', oldKey)),
      );
      await attack("dd-report: victim's JWS replayed by an org holding the victim's public key", 403, 'issuer-mismatch', async () =>
        postDdReport(keyCopier, await victim.sign(ddReport(), 'dd+jws')),
      );
    });
  });

  describe('POST /v1/footprints/{id}/attestations', () => {
    it("refuses alg none, a foreign key under the certifier's kid, an embedded jku, b64 false and a multi-signature JWS", async () => {
      const payload = () => canonicalJson(attestation());
      await attack('attestation: alg none', 422, 'unsupported-algorithm', () =>
        postAttestation(certifier, unsecuredCompactByHand({ alg: 'none', kid: certifier.key.kid, typ: 'attestation+jws' }, payload())),
      );
      await attack('attestation: HS256 keyed with the certifier public JWK (JSON)', 422, 'unsupported-algorithm', () =>
        postAttestation(
          certifier,
          hmacCompactByHand({ alg: 'HS256', kid: certifier.key.kid, typ: 'attestation+jws' }, payload(), JSON.stringify(certifier.key.publicJwk)),
        ),
      );
      await attack("attestation: another org's key under the certifier's kid", 422, 'bad-signature', () =>
        postAttestation(certifier, signCompactByHand(header('attestation+jws', certifier.key), payload(), attacker.key.privateJwk)),
      );
      await attack('attestation: key embedded in the header (jku)', 422, 'embedded-key-refused', () =>
        postAttestation(
          certifier,
          signCompactByHand(
            header('attestation+jws', certifier.key, { jku: 'https://attacker.example/jwks.json' }),
            payload(),
            attacker.key.privateJwk,
          ),
        ),
      );
      await attack('attestation: b64 false without crit (genuine signature)', 422, 'unsupported-b64', () =>
        postAttestation(certifier, signCompactByHand(header('attestation+jws', certifier.key, { b64: false }), payload(), certifier.key.privateJwk)),
      );
      await attack('attestation: multi-signature JWS (general JSON serialization)', 400, 'validation-failed', () =>
        postAttestation(certifier, JSON.stringify(multiSigned(attestation(), 'attestation+jws', certifier.key).goodFirst)),
      );
    });
  });

  describe('POST /v1/submissions', () => {
    it("refuses alg none and a foreign key under the issuer's kid before looking at the declaration", async () => {
      const declaration = () =>
        canonicalJson({
          id: randomUUID(),
          issuer: victim.id,
          batteryModel: 'X',
          manufacturingSite: 'Y',
          footprintId: attested.id,
          footprintVersion: 1,
          energyOverServiceLifeKWh: '1000',
          cfpPerFunctionalUnit: '0.0077',
          cfpPerStage: { rawMaterialAcquisition: '0.0015', mainProduction: '0.005', distribution: '0.0002', endOfLife: '0.001' },
          attestationIds: [],
        });
      const submit = (jws: string) => victim.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws });
      await attack('declaration: alg none', 422, 'unsupported-algorithm', () =>
        submit(unsecuredCompactByHand({ alg: 'none', kid: victim.key.kid, typ: 'declaration+jws' }, declaration())),
      );
      await attack("declaration: another org's key under the issuer's kid", 422, 'bad-signature', () =>
        submit(signCompactByHand(header('declaration+jws', victim.key), declaration(), attacker.key.privateJwk)),
      );
    });
  });

  /** The same payload in JWS JSON serialization: general with a good and a bad signature (both orders), and flattened. */
  function multiSigned(document: object, typ: string, key: ParticipantKey = victim.key) {
    const [protectedHeader, payload, signature] = signCompactByHand(header(typ, key), canonicalJson(document), key.privateJwk).split('.');
    const good = { protected: protectedHeader, signature };
    const forged = signCompactByHand(header(typ, attacker.key), canonicalJson(document), attacker.key.privateJwk).split('.');
    const bad = { protected: base64UrlOf(header(typ, key)), signature: forged[2] };
    return {
      goodFirst: { payload, signatures: [good, bad] },
      badFirst: { payload, signatures: [bad, good] },
      flattened: { payload, ...good },
    };
  }
});
