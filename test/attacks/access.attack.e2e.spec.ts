import { randomUUID } from 'node:crypto';
import { aggregateTotal, perFunctionalUnit, type DdReportDocument, type Declaration, type StageFigures, type Total } from '@exchange/domain';
import {
  ddReportDraft,
  footprintDraft,
  registerParticipant,
  submitDdReport,
  submitFootprint,
  type HttpAnswer,
  type Participant,
} from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { attest, auditTrail, grant, pin, requestAndAnswer, type AuditItem, type Submitted } from '../support/chain-steps';
import { describeAnswer, recordAttack } from './support/attack-table';

/**
 * Access attacks: nobody reads what they were not granted, whatever the path, and every refused
 * attempt on a resource that exists shows in its owner's audit trail.
 *
 * The chain: supplier A's footprint (own figures only) → B's footprint using A's as an input →
 * the OEM's footprint using B's → the OEM's declaration to a regulator; a DD report of A and one
 * of B linking it. A's and B's own figures are distinctive, so that finding them in a response
 * body means a derivation leaked.
 */

// Distinctive figures: their decimal strings appear in no other figure of the chain.
const OWN_A: StageFigures = { rawMaterialAcquisition: '13.579101', mainProduction: '2.468013', distribution: '0.975319', endOfLife: '0.135791' };
const OWN_B: StageFigures = { rawMaterialAcquisition: '7.771231', mainProduction: '3.331237', distribution: '0.551239', endOfLife: '0.221243' };
const OWN_O: StageFigures = { rawMaterialAcquisition: '1500.5', mainProduction: '900.25', distribution: '40', endOfLife: '12' };
const ENERGY_KWH = '120000';
const SECRET_SMELTER = { id: 'CID009991', name: 'Hidden Smelter of Supplier A', country: 'CD', mineral: 'cobalt', audit: 'active' } as const;

type Reason = 'no-grant' | 'revoked' | 'expired' | 'insufficient-scope' | 'wrong-purpose';

interface ReadPath {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** What the audit trail names the attempt. */
  what: string;
  /** document: any grant in force reads it; derivation: scope derivation; owner: no grant covers it. */
  needs: 'document' | 'derivation' | 'owner';
  /** The problem code of the 404. */
  code: string;
}

interface Protected {
  label: string;
  owner: () => Participant;
  paths: () => ReadPath[];
}

describe('access attacks: nobody reads what they were not granted', () => {
  let exchange: TestExchange;
  let A: Participant;
  let B: Participant;
  let oem: Participant;
  let certifier: Participant;
  let regulator: Participant;
  let otherRegulator: Participant;
  // Attackers.
  let stranger: Participant;
  let documentOnly: Participant;
  let wrongPurpose: Participant;
  let revoked: Participant;
  let expired: Participant;
  let bReader: Participant;
  let otherCertifier: Participant;
  let everybody: Participant[];

  let fpA: Submitted;
  let fpB: Submitted;
  let fpO: Submitted;
  let ddA: { id: string; payloadSha256: string };
  let ddB: { id: string; payloadSha256: string };
  let declaration: Declaration;
  const grantIds: Record<string, string> = {};
  let reproduceBeforeRevocation: HttpAnswer;
  const REPLAY_KEY = `replay-${randomUUID()}`;
  const names = new Map<string, string>();

  beforeAll(async () => {
    exchange = await startTestExchange();
    A = await registerParticipant(exchange, 'Supplier A (tier 2)');
    B = await registerParticipant(exchange, 'Supplier B (tier 1)', ['supplier'], 'ES256');
    oem = await registerParticipant(exchange, 'OEM', ['oem']);
    certifier = await registerParticipant(exchange, 'Certifier', ['certifier']);
    regulator = await registerParticipant(exchange, 'Regulator', ['regulator']);
    otherRegulator = await registerParticipant(exchange, 'Other regulator', ['regulator']);
    stranger = await registerParticipant(exchange, 'stranger (no grant)');
    documentOnly = await registerParticipant(exchange, 'grantee with scope document');
    wrongPurpose = await registerParticipant(exchange, 'grantee with purpose verification');
    revoked = await registerParticipant(exchange, 'grantee after revocation');
    expired = await registerParticipant(exchange, 'grantee after expiry');
    bReader = await registerParticipant(exchange, "B's derivation grantee");
    otherCertifier = await registerParticipant(exchange, 'certifier with purpose downstream-aggregation', ['certifier']);
    everybody = [A, B, oem, certifier, regulator, otherRegulator, stranger, documentOnly, wrongPurpose, revoked, expired, bReader, otherCertifier];
    for (const p of everybody) names.set(p.id, p.name);

    // Parts and bills of material: A's part goes into B's, B's into the OEM's pack.
    const partA = await A.registerPart('cobalt-sulfate');
    const partB = await B.registerPart('nmc811-cathode');
    const partO = await oem.registerPart('pack-75kwh', 'piece');
    await B.setBom(partB, [{ supplier: A, partId: partA, quantity: '0.4' }]);
    await oem.setBom(partO, [{ supplier: B, partId: partB, quantity: '30' }]);

    // B asks A for its footprint and DD report; A answers both (B gets document grants).
    fpA = await submitFootprint(A, partA, OWN_A);
    ddA = await submitDdReport(A, ddReport(A, partA, { smelters: [SECRET_SMELTER], risks: [{ category: 'child-labour', level: 'medium' }] }));
    await requestAndAnswer(B, A, partA, 'cfp', fpA.id);
    await requestAndAnswer(B, A, partA, 'dd', ddA.id);
    fpB = await submitFootprint(B, partB, OWN_B, [pin(fpA, '0.4')]);
    ddB = await submitDdReport(B, ddReport(B, partB, { inputs: [{ ddReportId: ddA.id, version: 1, payloadSha256: ddA.payloadSha256 }] }));
    // The OEM asks B; B answers; the OEM builds its own footprint on B's.
    await requestAndAnswer(oem, B, partB, 'cfp', fpB.id);
    fpO = await submitFootprint(oem, partO, OWN_O, [pin(fpB, '30')], { declaredUnit: 'piece' });

    // The certifier attests the OEM's footprint; the OEM declares it to the regulator.
    await grant(oem, 'footprint', fpO.id, certifier, 'verification', 'derivation');
    const attestationId = await attest(certifier, fpO);
    declaration = {
      id: randomUUID(),
      issuer: oem.id,
      batteryModel: 'NMC811-75kWh',
      manufacturingSite: 'Salzgitter, DE',
      footprintId: fpO.id,
      footprintVersion: 1,
      energyOverServiceLifeKWh: ENERGY_KWH,
      ...perFunctionalUnit(fpO.document.total as Total, ENERGY_KWH),
      attestationIds: [attestationId],
    };
    const submitted = await oem.call('POST', '/v1/submissions', {
      regulatorOrgId: regulator.id,
      jws: await oem.sign(declaration, 'declaration+jws'),
    });
    if (submitted.status !== 201) throw new Error(`submission: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    const regulatorGrants = await oem.call('GET', `/v1/grants?resourceId=${declaration.id}`);
    grantIds.regulatorOnSubmission = regulatorGrants.body.items.find((g: { granteeOrgId: string }) => g.granteeOrgId === regulator.id).id;

    // B's derivation grantee: scope derivation on B's footprint and a document grant on B's DD report, nothing on A's.
    grantIds.bReaderOnFootprint = await grant(B, 'footprint', fpB.id, bReader, 'verification', 'derivation');
    grantIds.bReaderOnDdReport = await grant(B, 'dd-report', ddB.id, bReader, 'verification', 'document');
    // Grants of the wrong scope, of the wrong purpose.
    await grant(B, 'footprint', fpB.id, documentOnly, 'downstream-aggregation', 'document');
    await grant(B, 'dd-report', ddB.id, documentOnly, 'downstream-aggregation', 'document');
    await grant(oem, 'submission', declaration.id, documentOnly, 'regulatory', 'document');
    await grant(B, 'footprint', fpB.id, wrongPurpose, 'verification', 'document');
    await grant(B, 'footprint', fpB.id, otherCertifier, 'downstream-aggregation', 'derivation');

    // Grants that will be revoked: each reads once while in force, then loses it.
    const toRevoke = [
      await grant(B, 'footprint', fpB.id, revoked, 'verification', 'derivation'),
      await grant(B, 'dd-report', ddB.id, revoked, 'verification', 'document'),
      await grant(oem, 'submission', declaration.id, revoked, 'regulatory', 'document'),
    ];
    await control('footprint: grantee reads B’s document before revocation', revoked, 'GET', `/v1/footprints/${fpB.id}`, 200);
    await control('dd-report: grantee reads B’s DD report before revocation', revoked, 'GET', `/v1/dd-reports/${ddB.id}`, 200);
    await control(
      'submission: grantee of the issuer reads the declaration before revocation',
      revoked,
      'GET',
      `/v1/submissions/${declaration.id}`,
      200,
    );
    reproduceBeforeRevocation = await revoked.call('POST', `/v1/footprints/${fpB.id}/reproduce`, {}, { 'idempotency-key': REPLAY_KEY });
    await control(
      'footprint: grantee reproduces B’s footprint with an Idempotency-Key before revocation',
      revoked,
      'POST',
      `/v1/footprints/${fpB.id}/reproduce`,
      200,
      reproduceBeforeRevocation,
    );
    for (const [id, owner] of [
      [toRevoke[0], B],
      [toRevoke[1], B],
      [toRevoke[2], oem],
    ] as const) {
      const answer = await owner.call('DELETE', `/v1/grants/${id}`);
      if (answer.status !== 200) throw new Error(`revoke: ${answer.status}`);
    }

    // Grants that expire in about 1.5 s: each reads once while in force, then we wait them out.
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await grant(B, 'footprint', fpB.id, expired, 'verification', 'derivation', expiresAt);
    await grant(B, 'dd-report', ddB.id, expired, 'verification', 'document', expiresAt);
    await grant(oem, 'submission', declaration.id, expired, 'regulatory', 'document', expiresAt);
    await control('footprint: grantee reads B’s derivation before expiry', expired, 'GET', `/v1/footprints/${fpB.id}/derivation`, 200);
    await control('dd-report: grantee reads B’s DD report before expiry', expired, 'GET', `/v1/dd-reports/${ddB.id}`, 200);
    await control('submission: grantee of the issuer reads the declaration before expiry', expired, 'GET', `/v1/submissions/${declaration.id}`, 200);
    while (Date.now() <= Date.parse(expiresAt) + 5) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  afterAll(async () => {
    await exchange?.stop();
  });

  // ---------------------------------------------------------------------------------------------
  // Every read path of every resource type, as every kind of attacker.

  const footprintB: Protected = {
    label: "B's footprint",
    owner: () => B,
    paths: () => {
      const at = `/v1/footprints/${fpB.id}`;
      const code = 'footprint-not-found';
      return [
        { name: 'document', method: 'GET', path: at, what: 'document', needs: 'document', code },
        { name: 'document ?version=1', method: 'GET', path: `${at}?version=1`, what: 'document', needs: 'document', code },
        { name: 'versions', method: 'GET', path: `${at}/versions`, what: 'versions', needs: 'document', code },
        { name: 'derivation', method: 'GET', path: `${at}/derivation`, what: 'derivation', needs: 'derivation', code },
        { name: 'derivation ?depth=5', method: 'GET', path: `${at}/derivation?depth=5`, what: 'derivation', needs: 'derivation', code },
        { name: 'verify', method: 'GET', path: `${at}/verify`, what: 'verify', needs: 'document', code },
        { name: 'reproduce', method: 'POST', path: `${at}/reproduce`, body: {}, what: 'reproduce', needs: 'document', code },
        { name: 'attestations list', method: 'GET', path: `${at}/attestations`, what: 'attestations', needs: 'document', code },
        { name: 'audit', method: 'GET', path: `/v1/audit?resourceId=${fpB.id}`, what: 'audit', needs: 'owner', code: 'resource-not-found' },
        { name: 'grants list', method: 'GET', path: `/v1/grants?resourceId=${fpB.id}`, what: 'grants', needs: 'owner', code: 'resource-not-found' },
        {
          name: "GET another grantee's grant",
          method: 'GET',
          path: `/v1/grants/${grantIds.bReaderOnFootprint}`,
          what: 'grant',
          needs: 'owner',
          code: 'grant-not-found',
        },
      ];
    },
  };
  const ddReportB: Protected = {
    label: "B's DD report",
    owner: () => B,
    paths: () => {
      const at = `/v1/dd-reports/${ddB.id}`;
      const code = 'dd-report-not-found';
      return [
        { name: 'document', method: 'GET', path: at, what: 'document', needs: 'document', code },
        { name: 'document ?version=1', method: 'GET', path: `${at}?version=1`, what: 'document', needs: 'document', code },
        { name: 'DD rollup', method: 'GET', path: `${at}/rollup`, what: 'rollup', needs: 'document', code },
        { name: 'audit', method: 'GET', path: `/v1/audit?resourceId=${ddB.id}`, what: 'audit', needs: 'owner', code: 'resource-not-found' },
        { name: 'grants list', method: 'GET', path: `/v1/grants?resourceId=${ddB.id}`, what: 'grants', needs: 'owner', code: 'resource-not-found' },
        {
          name: "GET another grantee's grant",
          method: 'GET',
          path: `/v1/grants/${grantIds.bReaderOnDdReport}`,
          what: 'grant',
          needs: 'owner',
          code: 'grant-not-found',
        },
      ];
    },
  };
  const submission: Protected = {
    label: "the OEM's submission",
    owner: () => oem,
    paths: () => [
      {
        name: 'document',
        method: 'GET',
        path: `/v1/submissions/${declaration.id}`,
        what: 'document',
        needs: 'document',
        code: 'submission-not-found',
      },
      { name: 'audit', method: 'GET', path: `/v1/audit?resourceId=${declaration.id}`, what: 'audit', needs: 'owner', code: 'resource-not-found' },
      {
        name: 'grants list',
        method: 'GET',
        path: `/v1/grants?resourceId=${declaration.id}`,
        what: 'grants',
        needs: 'owner',
        code: 'resource-not-found',
      },
      {
        name: "GET the regulator's grant",
        method: 'GET',
        path: `/v1/grants/${grantIds.regulatorOnSubmission}`,
        what: 'grant',
        needs: 'owner',
        code: 'grant-not-found',
      },
    ],
  };
  const resourceIdOf = (r: Protected) => (r === footprintB ? fpB.id : r === ddReportB ? ddB.id : declaration.id);

  /** The attackers, what they hold, and which paths their grant leaves them refused (with what answer and reason). */
  const attackers: { who: () => Participant; as: string; refusal: (p: ReadPath) => { status: number; reason: Reason } | undefined }[] = [
    { who: () => stranger, as: 'an organization without any grant', refusal: () => ({ status: 404, reason: 'no-grant' }) },
    {
      who: () => documentOnly,
      as: 'a grantee of scope document',
      refusal: (p) =>
        p.needs === 'derivation'
          ? { status: 403, reason: 'insufficient-scope' }
          : p.needs === 'owner'
            ? { status: 404, reason: 'insufficient-scope' }
            : undefined,
    },
    { who: () => revoked, as: 'a grantee after revocation', refusal: () => ({ status: 404, reason: 'revoked' }) },
    { who: () => expired, as: 'a grantee after expiry', refusal: () => ({ status: 404, reason: 'expired' }) },
  ];

  describe.each([
    ['footprint', footprintB],
    ['dd-report', ddReportB],
    ['submission', submission],
  ] as const)('%s', (_type, resource) => {
    it.each(attackers.map((a) => [a.as, a] as const))(
      'refuses %s on every read path, 404 (403 for a derivation with scope document), and audits each attempt',
      async (_as, attacker) => {
        const mismatches: string[] = [];
        for (const path of resource.paths()) {
          const refusal = attacker.refusal(path);
          if (!refusal) continue;
          const code = refusal.status === 403 ? 'derivation-not-granted' : path.code;
          const mismatch = await attempt({
            attack: `${resource.label}, ${path.name}: read by ${attacker.as}`,
            who: attacker.who(),
            method: path.method,
            path: path.path,
            body: path.body,
            expected: `${refusal.status} ${code}, no event; audit: refused ${refusal.reason} (${path.what})`,
            auditOf: { owner: resource.owner(), resourceId: resourceIdOf(resource) },
          });
          if (mismatch) mismatches.push(mismatch);
        }
        expect(mismatches).toEqual([]);
      },
    );

    it("keeps every attacker's events feed to its own notifications, none about this resource but their own grants on it", async () => {
      const mismatches: string[] = [];
      for (const attacker of attackers) {
        const who = attacker.who();
        const before = await exchange.eventCount();
        const answer = await who.call('GET', '/v1/events?limit=500');
        const appended = (await exchange.eventCount()) - before;
        const { foreign, ownGrantNotices } =
          answer.status === 200 ? await sortFeed(who, answer.body.items) : { foreign: ['(no feed)'], ownGrantNotices: new Set<string>() };
        const about =
          answer.status === 200
            ? answer.body.items.filter((i: FeedItem) => JSON.stringify(i).includes(resourceIdOf(resource)) && !ownGrantNotices.has(i.id))
            : [];
        const observed = `${describeAnswer(answer, appended)}; ${foreign.length === 0 ? 'only its own notifications' : `notifications of others: ${foreign.join(', ')}`}; ${about.length} item(s) about it beyond its own grants`;
        const expected = `200, no event; only its own notifications; 0 item(s) about it beyond its own grants`;
        recordAttack({ attack: `${resource.label}, events feed: read by ${attacker.as}`, expected, observed });
        if (observed !== expected) mismatches.push(`${attacker.as}: ${observed}`);
      }
      expect(mismatches).toEqual([]);
    });
  });

  describe('resources that do not exist, and versions that do not', () => {
    it('answers 404 and records nothing when there is nothing to audit', async () => {
      const unknown = randomUUID();
      const mismatches: string[] = [];
      for (const [name, path] of [
        ['footprint', `/v1/footprints/${unknown}`],
        ['footprint derivation', `/v1/footprints/${unknown}/derivation`],
        ['dd-report', `/v1/dd-reports/${unknown}`],
        ['submission', `/v1/submissions/${unknown}`],
        ['audit', `/v1/audit?resourceId=${unknown}`],
        ['grants list', `/v1/grants?resourceId=${unknown}`],
        ['grant', `/v1/grants/${unknown}`],
      ] as const) {
        const code = name.startsWith('footprint')
          ? 'footprint-not-found'
          : name === 'dd-report'
            ? 'dd-report-not-found'
            : name === 'submission'
              ? 'submission-not-found'
              : name === 'grant'
                ? 'grant-not-found'
                : 'resource-not-found';
        const mismatch = await attempt({
          attack: `unknown ${name}: read by an organization without any grant`,
          who: stranger,
          method: 'GET',
          path,
          expected: `404 ${code}, no event`,
        });
        if (mismatch) mismatches.push(mismatch);
      }
      const post = await attempt({
        attack: 'unknown footprint, reproduce: by an organization without any grant',
        who: stranger,
        method: 'POST',
        path: `/v1/footprints/${unknown}/reproduce`,
        body: {},
        expected: '404 footprint-not-found, no event',
      });
      if (post) mismatches.push(post);
      expect(mismatches).toEqual([]);
    });

    it('audits a stranger asking for a version that does not exist of a footprint that does; a grantee asking so reads nothing', async () => {
      const mismatches = [
        await attempt({
          attack: "B's footprint, document ?version=99: read by an organization without any grant",
          who: stranger,
          method: 'GET',
          path: `/v1/footprints/${fpB.id}?version=99`,
          expected: '404 footprint-not-found, no event; audit: refused no-grant (document)',
          auditOf: { owner: B, resourceId: fpB.id },
        }),
        await attempt({
          attack: "B's footprint, document ?version=99: read by a grantee of scope document",
          who: documentOnly,
          method: 'GET',
          path: `/v1/footprints/${fpB.id}?version=99`,
          expected: '404 footprint-not-found, no event; audit: nothing',
          auditOf: { owner: B, resourceId: fpB.id },
        }),
      ];
      expect(mismatches.filter(Boolean)).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Paths that need a purpose: using a footprint as an input (downstream-aggregation), attesting (verification).

  describe('grants of the wrong purpose', () => {
    it('does not let a verification grantee use B’s footprint as an input: the preview is refused like an unknown input, and audited', async () => {
      const mismatch = await attempt({
        attack: "B's footprint, preview with it as an input: by a grantee of purpose verification",
        who: wrongPurpose,
        method: 'POST',
        path: '/v1/footprints/preview',
        body: { own: OWN_O, inputs: [{ footprintId: fpB.id, version: 1, quantity: '30' }] },
        expected: '422 input-not-found, no event; audit: refused wrong-purpose (total (preview))',
        auditOf: { owner: B, resourceId: fpB.id },
      });
      expect(mismatch).toBeUndefined();
    });

    it('does not let a verification grantee submit a footprint pinning B’s (422, no event: a refused command appends nothing)', async () => {
      const part = await wrongPurpose.registerPart(`cell-${randomUUID()}`);
      await wrongPurpose.setBom(part, [{ supplier: B, partId: fpB.document.partId, quantity: '30' }]);
      const total = aggregateTotal(OWN_O, [{ quantity: '30', total: fpB.document.total as Total }]);
      const draft = footprintDraft({ issuer: wrongPurpose.id, partId: part, own: OWN_O, inputs: [pin(fpB, '30')], total });
      const jws = await wrongPurpose.sign(draft.document, 'cfp+jws');
      const mismatch = await attempt({
        attack: "B's footprint, submitting a footprint that pins it: by a grantee of purpose verification",
        who: wrongPurpose,
        method: 'POST',
        path: '/v1/footprints',
        body: { jws, derivation: draft.derivation },
        expected: '422 input-not-found, no event',
      });
      expect(mismatch).toBeUndefined();
    });

    it('does not let a certifier holding a downstream-aggregation grant attest (404, no event)', async () => {
      const document = {
        id: randomUUID(),
        issuer: otherCertifier.id,
        footprintId: fpB.id,
        version: 1,
        payloadSha256: fpB.payloadSha256,
        derivationSha256: fpB.document.derivationSha256,
        result: 'verified',
        standard: 'ISO 14067',
        findings: [],
        validUntil: '2030-01-01T00:00:00Z',
      };
      const mismatch = await attempt({
        attack: "B's footprint, attesting it: by a certifier with purpose downstream-aggregation",
        who: otherCertifier,
        method: 'POST',
        path: `/v1/footprints/${fpB.id}/attestations`,
        body: { jws: await otherCertifier.sign(document, 'attestation+jws') },
        expected: '404 footprint-not-found, no event',
      });
      expect(mismatch).toBeUndefined();
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Upstream tiers never leak through a downstream's answers.

  describe("upstream derivations never leak through a downstream's answers", () => {
    const secretsOfA = () => ({
      "A's salt": fpA.derivation.salt,
      ...ownFigures('A', OWN_A),
      "A's derivationSha256": fpA.document.derivationSha256 as string,
      "A's total": fpA.document.total.value as string,
    });
    const secretsOfB = () => ({ "B's salt": fpB.derivation.salt, ...ownFigures('B', OWN_B) });

    it.each([
      ['derivation ?depth=5', 'GET', (): string => `/v1/footprints/${fpB.id}/derivation?depth=5`],
      ['derivation ?depth=20&version=1', 'GET', (): string => `/v1/footprints/${fpB.id}/derivation?depth=20&version=1`],
      ['document', 'GET', (): string => `/v1/footprints/${fpB.id}`],
      ['verify', 'GET', (): string => `/v1/footprints/${fpB.id}/verify`],
      ['reproduce', 'POST', (): string => `/v1/footprints/${fpB.id}/reproduce`],
      ['events feed', 'GET', (): string => '/v1/events?limit=500'],
    ] as const)("shows B's derivation grantee nothing of A through B's %s", async (name, method, path) => {
      const answer = await bReader.call(method, path(), method === 'POST' ? {} : undefined);
      const leaked = leaks(answer.body, secretsOfA());
      const observed = `${answer.status}; ${leaked.length === 0 ? 'nothing of A' : `shows ${leaked.join(', ')}`}`;
      recordAttack({
        attack: `B's footprint, ${name}: A's derivation, salt, own figures through it, as B's derivation grantee`,
        expected: '200; nothing of A',
        observed,
      });
      expect(observed).toBe('200; nothing of A');
      if (name.startsWith('derivation'))
        expect(answer.body.inputs).toEqual([{ footprintId: fpA.id, version: 1, payloadSha256: fpA.payloadSha256, quantity: '0.4' }]);
      if (name === 'reproduce') expect(answer.body.levels.map((l: { footprintId: string }) => l.footprintId)).toEqual([fpB.id]);
    });

    it("refuses B's derivation grantee A's own footprint on every path, and tells A", async () => {
      const mismatches: string[] = [];
      for (const [name, method, path, what] of [
        ['document', 'GET', `/v1/footprints/${fpA.id}`, 'document'],
        ['derivation ?depth=5', 'GET', `/v1/footprints/${fpA.id}/derivation?depth=5`, 'derivation'],
        ['reproduce', 'POST', `/v1/footprints/${fpA.id}/reproduce`, 'reproduce'],
      ] as const) {
        const mismatch = await attempt({
          attack: `A's footprint, ${name}: read by B's derivation grantee`,
          who: bReader,
          method,
          path,
          body: method === 'POST' ? {} : undefined,
          expected: `404 footprint-not-found, no event; audit: refused no-grant (${what})`,
          auditOf: { owner: A, resourceId: fpA.id },
        });
        if (mismatch) mismatches.push(mismatch);
      }
      expect(mismatches).toEqual([]);
    });

    it('does not tell B’s derivation grantee, through reproduce, how many events A’s history holds (a new attestation of A)', async () => {
      const before = await bReader.call('POST', `/v1/footprints/${fpB.id}/reproduce`, {});
      await grant(A, 'footprint', fpA.id, certifier, 'verification', 'derivation');
      await attest(certifier, fpA);
      const after = await bReader.call('POST', `/v1/footprints/${fpB.id}/reproduce`, {});
      const observed = `${after.status}; eventsReplayed ${after.body.eventsReplayed === before.body.eventsReplayed ? 'unchanged' : `${before.body.eventsReplayed} → ${after.body.eventsReplayed}`}`;
      recordAttack({
        attack: "B's footprint, reproduce: A's history (attested since) counted in eventsReplayed, as B's derivation grantee",
        expected: '200; eventsReplayed unchanged',
        observed,
      });
      expect(observed).toBe('200; eventsReplayed unchanged');
    });

    it.each([
      ['derivation ?depth=5', 'GET', (): string => `/v1/footprints/${fpO.id}/derivation?depth=5`],
      ['document', 'GET', (): string => `/v1/footprints/${fpO.id}`],
      ['verify', 'GET', (): string => `/v1/footprints/${fpO.id}/verify`],
      ['reproduce', 'POST', (): string => `/v1/footprints/${fpO.id}/reproduce`],
      ['events feed', 'GET', (): string => '/v1/events?limit=500'],
    ] as const)(
      "shows the regulator (scope derivation on the OEM's footprint) nothing of A or B through the OEM's %s",
      async (name, method, path) => {
        const answer = await regulator.call(method, path(), method === 'POST' ? {} : undefined);
        const leaked = leaks(answer.body, {
          ...secretsOfA(),
          ...secretsOfB(),
          "B's derivationSha256": fpB.document.derivationSha256 as string,
          "B's total": fpB.document.total.value as string,
        });
        const observed = `${answer.status}; ${leaked.length === 0 ? 'nothing of A or B' : `shows ${leaked.join(', ')}`}`;
        recordAttack({
          attack: `OEM's footprint, ${name}: A's and B's derivations through it, as the regulator`,
          expected: '200; nothing of A or B',
          observed,
        });
        expect(observed).toBe('200; nothing of A or B');
      },
    );

    it("shows the OEM B's document but neither B's derivation nor anything of A through its own derivation ?depth=5", async () => {
      const answer = await oem.call('GET', `/v1/footprints/${fpO.id}/derivation?depth=5`);
      const leaked = leaks(answer.body, { ...secretsOfA(), ...secretsOfB() });
      const observed = `${answer.status}; B's document ${answer.body.inputs?.[0]?.document ? 'shown' : 'hidden'}; ${leaked.length === 0 ? "nothing of A nor B's derivation" : `shows ${leaked.join(', ')}`}`;
      const expected = "200; B's document shown; nothing of A nor B's derivation";
      recordAttack({
        attack: "OEM's footprint, derivation ?depth=5: B's derivation and A's through it, as the OEM (document grant on B)",
        expected,
        observed,
      });
      expect(observed).toBe(expected);
    });

    it("shows B's DD grantee no smelter name of A's report in B's rollup (minerals and risks propagate by design)", async () => {
      const answer = await bReader.call('GET', `/v1/dd-reports/${ddB.id}/rollup`);
      const observed = `${answer.status}; ${JSON.stringify(answer.body).includes(SECRET_SMELTER.name) ? "A's smelter name shown" : 'no smelter name of A'}; risks ${JSON.stringify(answer.body.highestRisk)}`;
      const expected = '200; no smelter name of A; risks {"child-labour":"medium"}';
      recordAttack({ attack: "B's DD report, rollup: A's smelter names, as B's DD grantee", expected, observed });
      expect(observed).toBe(expected);
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Regulators, feeds, replays.

  describe('regulators', () => {
    it('lets the regulator the declaration was sent to read it, audited under its regulatory grant', async () => {
      const mismatch = await attempt({
        attack: "the OEM's submission, document: read by its regulator",
        who: regulator,
        method: 'GET',
        path: `/v1/submissions/${declaration.id}`,
        expected: '200, 1 event(s); audit: read by Regulator (document)',
        auditOf: { owner: oem, resourceId: declaration.id },
      });
      expect(mismatch).toBeUndefined();
    });

    it('refuses another regulator, audits the attempt, and keeps the declaration out of its inbox', async () => {
      const mismatch = await attempt({
        attack: "the OEM's submission, document: read by another regulator",
        who: otherRegulator,
        method: 'GET',
        path: `/v1/submissions/${declaration.id}`,
        expected: '404 submission-not-found, no event; audit: refused no-grant (document)',
        auditOf: { owner: oem, resourceId: declaration.id },
      });
      const inbox = await otherRegulator.call('GET', '/v1/submissions');
      const observed = `${inbox.status}; ${inbox.body.items.length} submission(s)`;
      recordAttack({ attack: "the OEM's submission, submissions list: read by another regulator", expected: '200; 0 submission(s)', observed });
      expect(mismatch).toBeUndefined();
      expect(observed).toBe('200; 0 submission(s)');
    });

    it('keeps the declaration readable by its regulator when the issuer revokes the regulatory grant (it cannot be taken back; no grant, so no audit record)', async () => {
      expect((await oem.call('DELETE', `/v1/grants/${grantIds.regulatorOnSubmission}`)).status).toBe(200);
      const mismatch = await attempt({
        attack: "the OEM's submission, document: read by its regulator after the OEM revoked the regulator's grant",
        who: regulator,
        method: 'GET',
        path: `/v1/submissions/${declaration.id}`,
        expected: '200, no event; audit: nothing',
        auditOf: { owner: oem, resourceId: declaration.id },
      });
      expect(mismatch).toBeUndefined();
    });
  });

  it("keeps every organization's events feed to the notifications addressed to it", async () => {
    const mismatches: string[] = [];
    for (const who of everybody) {
      const answer = await who.call('GET', '/v1/events?limit=500');
      const { foreign } = await sortFeed(who, answer.body.items);
      const leaked = leaks(answer.body, {
        "A's salt": fpA.derivation.salt,
        "B's salt": fpB.derivation.salt,
        ...ownFigures('A', OWN_A),
        ...ownFigures('B', OWN_B),
      });
      const observed = `${answer.status}; ${foreign.length === 0 ? 'only its own notifications' : `notifications of others: ${foreign.join(', ')}`}; ${leaked.length === 0 ? 'no derivation data' : `shows ${leaked.join(', ')}`}`;
      const expected = '200; only its own notifications; no derivation data';
      recordAttack({ attack: `events feed of ${who.name}: other organizations' notifications`, expected, observed });
      if (observed !== expected) mismatches.push(`${who.name}: ${observed}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('does not replay a stored reproduce answer to a grantee after revocation (same Idempotency-Key and body)', async () => {
    expect(reproduceBeforeRevocation.status).toBe(200);
    const mismatch = await attempt({
      attack: "B's footprint, reproduce replayed with the Idempotency-Key used before revocation: by the former grantee",
      who: revoked,
      method: 'POST',
      path: `/v1/footprints/${fpB.id}/reproduce`,
      body: {},
      headers: { 'idempotency-key': REPLAY_KEY },
      expected: '404 footprint-not-found, no event; audit: refused revoked (reproduce)',
      auditOf: { owner: B, resourceId: fpB.id },
    });
    expect(mismatch).toBeUndefined();
  });

  // ---------------------------------------------------------------------------------------------
  // Helpers.

  /**
   * One attempt: the call, the events it appended and, with `auditOf`, what the owner's audit trail
   * gained; the row is recorded before anything is asserted. Answers a mismatch description, if any.
   */
  async function attempt(a: {
    attack: string;
    who: Participant;
    method: 'GET' | 'POST';
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
    expected: string;
    auditOf?: { owner: Participant; resourceId: string };
  }): Promise<string | undefined> {
    const trailBefore = a.auditOf ? await auditTrail(a.auditOf.owner, a.auditOf.resourceId) : [];
    const before = await exchange.eventCount();
    const answer = await a.who.call(a.method, a.path, a.body, a.headers);
    const appended = (await exchange.eventCount()) - before;
    let observed = describeAnswer(answer, appended);
    if (answer.status >= 400 && !answer.headers.get('content-type')?.includes('application/problem+json')) observed += ' (not problem+json)';
    if (a.auditOf) {
      const fresh = (await auditTrail(a.auditOf.owner, a.auditOf.resourceId)).slice(trailBefore.length);
      observed += `; audit: ${fresh.length === 0 ? 'nothing' : fresh.map((e) => describeAuditItem(e, a.who)).join(', ')}`;
    }
    recordAttack({ attack: a.attack, expected: a.expected, observed });
    if (observed === a.expected) return undefined;
    return `${a.attack}: expected "${a.expected}", observed "${observed}"`;
  }

  async function control(
    attack: string,
    who: Participant,
    method: 'GET' | 'POST',
    path: string,
    status: number,
    answered?: HttpAnswer,
  ): Promise<void> {
    const answer = answered ?? (await who.call(method, path, method === 'POST' ? {} : undefined));
    recordAttack({ attack: `control, ${attack}`, expected: String(status), observed: String(answer.status) });
    if (answer.status !== status) throw new Error(`control ${attack}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  function describeAuditItem(e: AuditItem, who: Participant): string {
    const by = e.readerOrgId === who.id ? '' : ` by ${names.get(e.readerOrgId) ?? e.readerOrgId}`;
    return e.outcome === 'refused' ? `refused ${e.reason}${by} (${e.what})` : `read by ${names.get(e.readerOrgId) ?? e.readerOrgId} (${e.what})`;
  }

  const ddReport = (issuer: Participant, partId: string, over: Partial<Pick<DdReportDocument, 'smelters' | 'risks' | 'inputs'>> = {}) =>
    ddReportDraft(issuer.id, partId, over);

  function ownFigures(who: string, own: StageFigures): Record<string, string> {
    return Object.fromEntries(Object.entries(own).map(([stage, figure]) => [`${who}'s own ${stage}`, figure]));
  }

  /** The names of the secrets whose text appears anywhere in the JSON of a body. */
  function leaks(body: unknown, secrets: Record<string, string>): string[] {
    const text = JSON.stringify(body ?? null);
    return Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret))
      .map(([name]) => name);
  }

  /**
   * Sorts a feed: the items not addressed to `who` (checked by asking the exchange, as `who`, about
   * what each names) and the ids of the notices of grants `who` received.
   */
  async function sortFeed(who: Participant, items: FeedItem[]): Promise<{ foreign: string[]; ownGrantNotices: Set<string> }> {
    const foreign: string[] = [];
    const ownGrantNotices = new Set<string>();
    for (const item of items) {
      const d = item.data as Record<string, any>;
      let mine = false;
      switch (item.type) {
        case 'grant.created':
        case 'grant.revoked': {
          const g = await who.call('GET', `/v1/grants/${d.grantId}`);
          mine = g.status === 200 && g.body.granteeOrgId === who.id;
          if (mine) ownGrantNotices.add(item.id);
          break;
        }
        case 'request.created':
        case 'request.answered':
        case 'request.rejected': {
          const r = await who.call('GET', `/v1/requests/${d.requestId}`);
          mine = r.status === 200 && (item.type === 'request.created' ? r.body.supplierOrgId : r.body.requesterOrgId) === who.id;
          break;
        }
        case 'attestation.created':
        case 'footprint.input-superseded': {
          const f = await who.call('GET', `/v1/footprints/${item.type === 'attestation.created' ? d.footprintId : d.pinnedBy}`);
          mine = f.status === 200 && f.body.issuer === who.id;
          break;
        }
        case 'submission.received':
        case 'submission.acknowledged': {
          const s = await who.call('GET', `/v1/submissions/${d.submissionId}`);
          mine = s.status === 200 && (item.type === 'submission.received' ? s.body.regulatorOrgId : s.body.issuer) === who.id;
          break;
        }
      }
      if (!mine) foreign.push(`${item.type} ${item.id}`);
    }
    return { foreign, ownGrantNotices };
  }
});

interface FeedItem {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}
