import { randomUUID } from 'node:crypto';
import type { StageFigures } from '@exchange/domain';
import { withMirroredS } from '@exchange/signing/testing/hand-made-jws';
import {
  attest,
  attestationOf,
  auditTrail,
  declarationOf,
  grant,
  pin,
  requestAndAnswer,
  visiblePosition,
  type AuditItem,
  type Submitted,
} from '../support/chain-steps';
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
import { describeAnswer, recordAttack } from './support/attack-table';

/**
 * The findings of an outside security review that concern what a participant can learn, do or
 * make the exchange do through the API, each as the attack it found and the answer it must get.
 * (Transport findings, such as slow clients and cache headers, are in transport.attack.e2e.spec.ts.)
 */

const OWN: StageFigures = { rawMaterialAcquisition: '1', mainProduction: '1', distribution: '0', endOfLife: '0' };

/** Records the row, then asserts it. */
function row(attack: string, expected: string, observed: string): void {
  recordAttack({ attack, expected, observed });
  expect(observed).toBe(expected);
}

/** Runs a call and describes its answer with how many events it appended. */
async function observe(exchange: TestExchange, call: () => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; described: string }> {
  const before = await exchange.eventCount();
  const answer = await call();
  return { answer, described: describeAnswer(answer, (await exchange.eventCount()) - before) };
}

/**
 * A diamond lattice by one issuer: `levels` levels of two parts, each part's bill of materials
 * listing both parts of the level below and each footprint pinning both footprints below it (so
 * the paths double with every level). With `ddReports`, each part also gets a DD report linking
 * both reports below. Answers the footprints (and reports) level by level.
 */
async function lattice(p: Participant, levels: number, ddReports = false) {
  const footprints: Submitted[][] = [];
  const reports: { id: string; version: number; payloadSha256: string }[][] = [];
  for (let level = 0; level < levels; level++) {
    const below = footprints[level - 1] ?? [];
    const reportsBelow = reports[level - 1] ?? [];
    const row: Submitted[] = [];
    const reportRow: (typeof reports)[number] = [];
    for (const side of ['a', 'b']) {
      const partId = await p.registerPart(`lattice-${randomUUID().slice(0, 8)}-${level}${side}`);
      if (below.length > 0)
        await p.setBom(
          partId,
          below.map((fp) => ({ supplier: p, partId: fp.document.partId, quantity: '1' })),
        );
      row.push(
        await submitFootprint(
          p,
          partId,
          OWN,
          below.map((fp) => pin(fp, '1')),
        ),
      );
      if (ddReports) {
        const inputs = reportsBelow.map(({ id, version, payloadSha256 }) => ({ ddReportId: id, version, payloadSha256 }));
        reportRow.push(await submitDdReport(p, ddReportDraft(p.id, partId, { inputs })));
      }
    }
    footprints.push(row);
    reports.push(reportRow);
  }
  return { footprints, reports, top: footprints[levels - 1]![0]!, topReport: reports[levels - 1]?.[0] };
}

interface InputEntry {
  footprintId: string;
  version: number;
  document?: unknown;
  derivation?: { inputs: InputEntry[] };
  expandedAt?: string;
}

/** How a derivation answer shows its inputs: how many distinct versions, how often each is shown in full, how many entries only point. */
function shape(answer: { inputs: InputEntry[] }): string {
  const shown = new Map<string, number>();
  let references = 0;
  const pending = [...answer.inputs];
  while (pending.length > 0) {
    const entry = pending.pop()!;
    if (entry.expandedAt !== undefined) references++;
    else shown.set(`${entry.footprintId}@${entry.version}`, (shown.get(`${entry.footprintId}@${entry.version}`) ?? 0) + 1);
    pending.push(...(entry.derivation?.inputs ?? []));
  }
  const most = Math.max(...shown.values());
  return `${shown.size} input versions shown, ${most === 1 ? 'each once' : `some ${most} times`}; ${references} references`;
}

describe('review findings: what a participant can learn, do or make the exchange do', () => {
  let exchange: TestExchange;
  let owner: Participant;
  let upstream: Participant;
  let certifier: Participant;
  let regulator: Participant;
  let stranger: Participant;

  beforeAll(async () => {
    exchange = await startTestExchange();
    owner = await registerParticipant(exchange, 'Owner (tier 1)');
    upstream = await registerParticipant(exchange, 'Upstream (tier 2)');
    certifier = await registerParticipant(exchange, 'Certifier', ['certifier']);
    regulator = await registerParticipant(exchange, 'Regulator', ['regulator']);
    stranger = await registerParticipant(exchange, 'Stranger');
  }, 60_000);

  afterAll(() => exchange?.stop());

  describe('1. derivation answers of a diamond lattice', () => {
    it('shows each distinct input version once, where the walk first meets it, and points there from every other path', async () => {
      const levels = 12;
      const { top } = await lattice(owner, levels);
      const answer = await owner.call('GET', `/v1/footprints/${top.id}/derivation?depth=20`);
      const observed = `${answer.status}; ${answer.status === 200 ? shape(answer.body) : answer.body.code}`;
      row(
        `derivation ?depth=20 of a ${levels}-level diamond lattice (each level pins both of the level below)`,
        `200; ${2 * (levels - 1)} input versions shown, each once; ${2 * (levels - 2)} references`,
        observed,
      );
      const first = answer.body.inputs[0].derivation.inputs[0];
      const repeat = answer.body.inputs[1].derivation.inputs[0];
      expect(repeat).toEqual({
        footprintId: first.footprintId,
        version: first.version,
        payloadSha256: first.payloadSha256,
        quantity: '1',
        expandedAt: '/inputs/0/derivation/inputs/0',
      });
    }, 60_000);

    it('caps every chain walk at a documented number of distinct versions, with a 422 that names the limit and records nothing', async () => {
      const limit = 20;
      const tight = await startTestExchange({
        env: {
          MAX_DERIVATION_INPUTS: String(limit),
          MAX_VERIFIED_VERSIONS: String(limit),
          MAX_REPRODUCED_VERSIONS: String(limit),
          MAX_ROLLED_UP_REPORTS: String(limit),
        },
      });
      try {
        const issuer = await registerParticipant(tight, 'Lattice issuer');
        const { top, topReport } = await lattice(issuer, 12, true);
        const within = await issuer.call('GET', `/v1/footprints/${top.id}/derivation?depth=10`);
        row(
          `derivation ?depth=10 of a 12-level lattice, ${limit} distinct inputs allowed`,
          `200; 20 input versions shown, each once`,
          `${within.status}; ${shape(within.body).split(';')[0]}`,
        );
        for (const [name, method, path] of [
          ['derivation ?depth=20', 'GET', `/v1/footprints/${top.id}/derivation?depth=20`],
          ['verify', 'GET', `/v1/footprints/${top.id}/verify`],
          ['reproduce', 'POST', `/v1/footprints/${top.id}/reproduce`],
          ['DD rollup', 'GET', `/v1/dd-reports/${topReport!.id}/rollup`],
        ] as const) {
          const { answer, described } = await observe(tight, () => issuer.call(method, path, method === 'POST' ? {} : undefined));
          row(
            `${name} of a 12-level lattice (23 distinct versions), ${limit} allowed`,
            `422 chain-too-large, no event; limit ${limit}`,
            `${described}; limit ${answer.body.limit}`,
          );
        }
      } finally {
        await tight.stop();
      }
    }, 120_000);
  });

  describe('3. a refused read tells a stranger nothing', () => {
    it('answers a hidden resource exactly as an unknown one on every read path, moves no position the stranger can see, and still shows the owner each attempt', async () => {
      const partU = await upstream.registerPart('refused-upstream');
      const partO = await owner.registerPart('refused-owner');
      await owner.setBom(partO, [{ supplier: upstream, partId: partU, quantity: '2' }]);
      const fpU = await submitFootprint(upstream, partU, OWN);
      await requestAndAnswer(owner, upstream, partU, 'cfp', fpU.id);
      const fp = await submitFootprint(owner, partO, OWN, [pin(fpU, '2')]);
      const dd = await submitDdReport(owner, ddReportDraft(owner.id, partO));
      const certifierGrant = await grant(owner, 'footprint', fp.id, certifier, 'verification', 'derivation');
      const declaration = declarationOf(owner, fp, [await attest(certifier, fp)]);
      expect(
        (await owner.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws: await owner.sign(declaration, 'declaration+jws') })).status,
      ).toBe(201);

      const paths = (ids: { footprint: string; dd: string; submission: string; grant: string }): [string, 'GET' | 'POST', string, unknown?][] => [
        ['footprint', 'GET', `/v1/footprints/${ids.footprint}`],
        ['derivation', 'GET', `/v1/footprints/${ids.footprint}/derivation`],
        ['verify', 'GET', `/v1/footprints/${ids.footprint}/verify`],
        ['versions', 'GET', `/v1/footprints/${ids.footprint}/versions`],
        ['attestations', 'GET', `/v1/footprints/${ids.footprint}/attestations`],
        ['reproduce', 'POST', `/v1/footprints/${ids.footprint}/reproduce`, {}],
        ['preview', 'POST', '/v1/footprints/preview', { own: OWN, inputs: [{ footprintId: ids.footprint, version: 1, quantity: '2' }] }],
        ['audit', 'GET', `/v1/audit?resourceId=${ids.footprint}`],
        ['grants of a resource', 'GET', `/v1/grants?resourceId=${ids.dd}`],
        ['DD report', 'GET', `/v1/dd-reports/${ids.dd}`],
        ['DD rollup', 'GET', `/v1/dd-reports/${ids.dd}/rollup`],
        ['submission', 'GET', `/v1/submissions/${ids.submission}`],
        ["another's grant", 'GET', `/v1/grants/${ids.grant}`],
      ];
      const hiddenIds = { footprint: fp.id, dd: dd.id, submission: declaration.id, grant: certifierGrant };
      const unknownIds = { footprint: randomUUID(), dd: randomUUID(), submission: randomUUID(), grant: randomUUID() };
      const trailsBefore = await refusalsBy(stranger, [fp.id, dd.id, declaration.id]);
      const receiptBefore = await receiptPosition(stranger);
      const positionBefore = await visiblePosition(stranger);

      const hidden = paths(hiddenIds);
      const unknown = paths(unknownIds);
      for (const [index, [name, method, path, body]] of hidden.entries()) {
        const [, , unknownPath, unknownBody] = unknown[index]!;
        const seen = await stranger.call(method, path, body);
        const unseen = await stranger.call(method, unknownPath, unknownBody);
        row(
          `${name}: a hidden resource and an unknown id, asked by a stranger`,
          'same status, body and headers',
          sameAnswer(seen, unseen, hiddenIds, unknownIds),
        );
      }

      const positionAfter = await visiblePosition(stranger);
      const receiptAfter = await receiptPosition(stranger);
      const refused = (await refusalsBy(stranger, [fp.id, dd.id, declaration.id])) - trailsBefore;
      row(
        `${hidden.length} refused reads by a stranger: the position it sees in /health and in its next receipt; the owner's audit trails`,
        `position unchanged; next receipt 2 after its previous one (its own part and report); ${hidden.length} refusals in the owner's trails`,
        `position ${positionAfter === positionBefore ? 'unchanged' : `${positionBefore} → ${positionAfter}`}; next receipt ${receiptAfter - receiptBefore} after its previous one (its own part and report); ${refused} refusals in the owner's trails`,
      );
    }, 60_000);

    /** The position in the receipt of a fresh DD report of the caller's own. */
    async function receiptPosition(p: Participant): Promise<number> {
      const part = await p.registerPart(`receipt-${randomUUID().slice(0, 8)}`);
      const { receipt } = await submitDdReport(p, ddReportDraft(p.id, part));
      return Number(JSON.parse(Buffer.from(receipt.split('.')[1]!, 'base64url').toString('utf8')).position);
    }

    async function refusalsBy(reader: Participant, resourceIds: string[]): Promise<number> {
      const trails = await Promise.all(resourceIds.map((id) => auditTrail(owner, id)));
      return trails.flat().filter((e: AuditItem) => e.outcome === 'refused' && e.readerOrgId === reader.id).length;
    }
  });

  describe('4. self-dealing', () => {
    it('refuses an organization that is also a certifier attesting its own footprint, and a declaration resting on its own word', async () => {
      const both = await registerParticipant(exchange, 'Supplier and certifier', ['supplier', 'certifier']);
      const fp = await submitFootprint(both, await both.registerPart('self-attested'), OWN);
      const document = attestationOf(both, fp);
      const attested = await observe(exchange, async () =>
        both.call('POST', `/v1/footprints/${fp.id}/attestations`, { jws: await both.sign(document, 'attestation+jws') }),
      );
      const declared = await observe(exchange, async () =>
        both.call('POST', '/v1/submissions', {
          regulatorOrgId: regulator.id,
          jws: await both.sign(declarationOf(both, fp, [document.id]), 'declaration+jws'),
        }),
      );
      row(
        'a supplier that is also a certifier attests its own footprint, then declares it on that attestation',
        'attestation 403 self-attestation, no event; declaration 422, no event',
        `attestation ${attested.described}; declaration ${declared.described.replace(/ [a-z-]+,/, ',')}`,
      );
    });

    it('refuses an organization that is also a regulator submitting a declaration to itself', async () => {
      const both = await registerParticipant(exchange, 'OEM and regulator', ['oem', 'regulator']);
      const fp = await submitFootprint(both, await both.registerPart('self-declared', 'piece'), OWN, [], { declaredUnit: 'piece' });
      await grant(both, 'footprint', fp.id, certifier, 'verification', 'derivation');
      const declaration = declarationOf(both, fp, [await attest(certifier, fp)]);
      const { described } = await observe(exchange, async () =>
        both.call('POST', '/v1/submissions', { regulatorOrgId: both.id, jws: await both.sign(declaration, 'declaration+jws') }),
      );
      row('an OEM that is also a regulator submits its declaration to itself', '403 self-submission, no event', described);
    });
  });

  describe('5. every read of protected content is audited', () => {
    it("audits the regulator's list of submissions as it audits each submission read", async () => {
      const fp = await submitFootprint(owner, await owner.registerPart('listed'), OWN);
      await grant(owner, 'footprint', fp.id, certifier, 'verification', 'derivation');
      const declaration = declarationOf(owner, fp, [await attest(certifier, fp)]);
      expect(
        (await owner.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws: await owner.sign(declaration, 'declaration+jws') })).status,
      ).toBe(201);
      const before = (await auditTrail(owner, declaration.id)).length;
      const list = await regulator.call('GET', '/v1/submissions?limit=500');
      const listed = list.body.items.some((s: { id: string; jws?: string }) => s.id === declaration.id && s.jws);
      const gained = (await auditTrail(owner, declaration.id)).slice(before).map((e) => `${e.outcome} (${e.what})`);
      row(
        "GET /v1/submissions by the regulator: the issuer's audit trail of a listed declaration",
        '200; declaration listed with its JWS; audit: read (document (list))',
        `${list.status}; declaration ${listed ? 'listed with its JWS' : 'not listed'}; audit: ${gained.join(', ') || 'nothing'}`,
      );
    });

    it("audits the levels below that verify reads, in their owners' trails", async () => {
      const partU = await upstream.registerPart('verified-upstream');
      const partO = await owner.registerPart('verified-owner');
      await owner.setBom(partO, [{ supplier: upstream, partId: partU, quantity: '3' }]);
      const fpU = await submitFootprint(upstream, partU, OWN);
      await requestAndAnswer(owner, upstream, partU, 'cfp', fpU.id);
      const fp = await submitFootprint(owner, partO, OWN, [pin(fpU, '3')]);
      await grant(owner, 'footprint', fp.id, certifier, 'verification', 'derivation');
      await grant(upstream, 'footprint', fpU.id, certifier, 'verification', 'derivation');
      const before = (await auditTrail(upstream, fpU.id)).length;
      const verified = await certifier.call('GET', `/v1/footprints/${fp.id}/verify`);
      const gained = (await auditTrail(upstream, fpU.id)).slice(before).map((e) => `${e.outcome} (${e.what})`);
      row(
        "verify by a certifier: the upstream issuer's audit trail of the input it walked",
        '200 ok; audit: read (document (verify)), read (derivation (verify))',
        `${verified.status} ${verified.body.ok ? 'ok' : 'not ok'}; audit: ${gained.join(', ') || 'nothing'}`,
      );
    });
  });

  describe('7. one id, one form', () => {
    it("refuses the upper-case form of another organization's id, as a new document and as a path", async () => {
      const fp = await submitFootprint(owner, await owner.registerPart('lower-case'), OWN);
      const part = await stranger.registerPart('squatted-case');
      const draft = footprintDraft({ issuer: stranger.id, partId: part, own: OWN, total: { ...OWN, value: '2' }, id: fp.id.toUpperCase() });
      const created = await observe(exchange, async () =>
        stranger.call('POST', '/v1/footprints', { jws: await stranger.sign(draft.document, 'cfp+jws'), derivation: draft.derivation }),
      );
      const read = await owner.call('GET', `/v1/footprints/${fp.id.toUpperCase()}`);
      const granted = await observe(exchange, () =>
        owner.call('POST', '/v1/grants', {
          resource: { type: 'footprint', id: fp.id },
          granteeOrgId: certifier.id.toUpperCase(),
          purpose: 'verification',
          scope: 'document',
        }),
      );
      row(
        "another's footprint id in upper case: as a new footprint, as a path, as a grantee id",
        'new footprint 400 validation-failed, no event; path 400 invalid-id; grantee 400 validation-failed, no event',
        `new footprint ${created.described}; path ${describeAnswer(read)}; grantee ${granted.described}`,
      );
    });
  });

  describe('8. ids of one type cannot shadow another', () => {
    it("answers a DD request with the supplier's DD report even when someone registered a footprint under its id", async () => {
      const part = await upstream.registerPart('shadowed');
      const report = await submitDdReport(upstream, ddReportDraft(upstream.id, part));
      const squatterPart = await stranger.registerPart('shadowing');
      const draft = footprintDraft({ issuer: stranger.id, partId: squatterPart, own: OWN, total: { ...OWN, value: '2' }, id: report.id });
      const squatted = await stranger.call('POST', '/v1/footprints', {
        jws: await stranger.sign(draft.document, 'cfp+jws'),
        derivation: draft.derivation,
      });
      const request = await owner.call('POST', '/v1/requests', { kind: 'dd', supplierOrgId: upstream.id, supplierPartId: part });
      const answered = await upstream.call('POST', `/v1/requests/${request.body.id}/answer`, { documentId: report.id });
      const read = await owner.call('GET', `/v1/dd-reports/${report.id}`);
      row(
        "a footprint registered under another's DD report id, then that DD report answered to a request",
        'footprint 201; answer 200; requester reads the DD report 200',
        `footprint ${squatted.status}; answer ${describeAnswer(answered)}; requester reads the DD report ${read.status}`,
      );
    });
  });

  describe('9. attestations have an end', () => {
    it('refuses an attestation already expired, and a declaration resting on one that expired since, or on a footprint that did', async () => {
      const fp = await submitFootprint(owner, await owner.registerPart('attested-briefly'), OWN);
      await grant(owner, 'footprint', fp.id, certifier, 'verification', 'derivation');
      const past = attestationOf(certifier, fp, { validUntil: '2020-01-01T00:00:00Z' });
      const expired = await observe(exchange, async () =>
        certifier.call('POST', `/v1/footprints/${fp.id}/attestations`, { jws: await certifier.sign(past, 'attestation+jws') }),
      );
      row('an attestation whose validUntil is already past', '422 attestation-expired, no event', expired.described);

      const soon = new Date(Date.now() + 2000).toISOString();
      const briefly = await attest(certifier, fp, { validUntil: soon });
      const part = await owner.registerPart('valid-briefly');
      const preview = await owner.call('POST', '/v1/footprints/preview', { own: OWN, inputs: [] });
      const draft = footprintDraft({ issuer: owner.id, partId: part, own: OWN, total: preview.body.total });
      const shortLived = { ...draft.document, validUntil: soon, derivationSha256: draft.document.derivationSha256 };
      const submitted = await owner.call('POST', '/v1/footprints', { jws: await owner.sign(shortLived, 'cfp+jws'), derivation: draft.derivation });
      const shortFp = { ...submitted.body, document: shortLived } as Submitted;
      await grant(owner, 'footprint', shortFp.id, certifier, 'verification', 'derivation');
      const lasting = await attest(certifier, shortFp);
      while (Date.now() <= Date.parse(soon) + 5) await new Promise((resolve) => setTimeout(resolve, 100));

      const onAttestation = await observe(exchange, async () =>
        owner.call('POST', '/v1/submissions', {
          regulatorOrgId: regulator.id,
          jws: await owner.sign(declarationOf(owner, fp, [briefly]), 'declaration+jws'),
        }),
      );
      const onFootprint = await observe(exchange, async () =>
        owner.call('POST', '/v1/submissions', {
          regulatorOrgId: regulator.id,
          jws: await owner.sign(declarationOf(owner, shortFp, [lasting]), 'declaration+jws'),
        }),
      );
      row('a declaration resting on an attestation that has expired since', '422 attestation-expired, no event', onAttestation.described);
      row('a declaration of a footprint version whose validUntil has passed', '422 footprint-expired, no event', onFootprint.described);
    }, 30_000);

    it('refuses a footprint whose validUntil is not after its validFrom', async () => {
      const part = await owner.registerPart('backwards');
      const draft = footprintDraft({ issuer: owner.id, partId: part, own: OWN, total: { ...OWN, value: '2' } });
      const document = { ...draft.document, validUntil: '2025-12-31T00:00:00Z' };
      const { described } = await observe(exchange, async () =>
        owner.call('POST', '/v1/footprints', { jws: await owner.sign(document, 'cfp+jws'), derivation: draft.derivation }),
      );
      row('a footprint valid until before it is valid from', '422 invalid-validity-period, no event', described);
    });
  });

  describe('10. building on a DD report needs a grant for downstream aggregation', () => {
    it('refuses a DD report, and a declaration, citing a report read under a verification grant, as if it did not exist', async () => {
      const partU = await upstream.registerPart('dd-upstream');
      const partO = await owner.registerPart('dd-owner');
      await owner.setBom(partO, [{ supplier: upstream, partId: partU, quantity: '1' }]);
      const reportU = await submitDdReport(upstream, ddReportDraft(upstream.id, partU));
      await grant(upstream, 'dd-report', reportU.id, owner, 'verification', 'document');
      const linking = ddReportDraft(owner.id, partO, { inputs: [{ ddReportId: reportU.id, version: 1, payloadSha256: reportU.payloadSha256 }] });
      const linked = await observe(exchange, async () => owner.call('POST', '/v1/dd-reports', { jws: await owner.sign(linking, 'dd+jws') }));
      const fp = await submitFootprint(owner, partO, OWN);
      await grant(owner, 'footprint', fp.id, certifier, 'verification', 'derivation');
      const declaration = declarationOf(owner, fp, [await attest(certifier, fp)], '120000', { ddReportId: reportU.id });
      const declared = await observe(exchange, async () =>
        owner.call('POST', '/v1/submissions', { regulatorOrgId: regulator.id, jws: await owner.sign(declaration, 'declaration+jws') }),
      );
      row("a DD report linking another's report held under a verification grant", '422 input-not-found, no event', linked.described);
      row("a declaration citing another's DD report held under a verification grant", '422 dd-report-not-found, no event', declared.described);
    });
  });

  describe('also seen', () => {
    it('accepts an ES256 document in one JWS form only: the high-S twin of a valid signature is refused', async () => {
      const ec = await registerParticipant(exchange, 'ES256 signer', ['supplier'], 'ES256');
      const fp = await submitFootprint(ec, await ec.registerPart('ec-signed'), OWN);
      const got = await ec.call('GET', `/v1/footprints/${fp.id}`);
      const part = await ec.registerPart('ec-twin');
      const draft = footprintDraft({ issuer: ec.id, partId: part, own: OWN, total: got.body.document.total });
      const twin = withMirroredS(await ec.sign(draft.document, 'cfp+jws'));
      const { described } = await observe(exchange, () => ec.call('POST', '/v1/footprints', { jws: twin, derivation: draft.derivation }));
      row('an ES256 footprint whose signature has a high S (the twin n − s of a valid one)', '422 high-s-signature, no event', described);
    });

    it("names only the caller's own part when it refuses a bill of materials that would make a cycle", async () => {
      const partU = await upstream.registerPart('cycle-upstream');
      const partO = await owner.registerPart('cycle-owner');
      await upstream.setBom(partU, [{ supplier: owner, partId: partO, quantity: '1' }]);
      const { answer, described } = await observe(exchange, () =>
        owner.call('PUT', `/v1/parts/${partO}/bom`, { inputs: [{ supplierOrgId: upstream.id, supplierPartId: partU, quantity: '1' }] }),
      );
      const named = [partU, upstream.id].filter((id) => JSON.stringify(answer.body).includes(id));
      row(
        "a bill of materials that closes a cycle through another organization's BOM",
        "422 bom-cycle, no event; names none of the other organization's ids",
        `${described}; names ${named.length === 0 ? "none of the other organization's ids" : named.join(', ')}`,
      );
    });
  });
});

/** Whether two answers are the same but for the ids asked about: status, body, and every header but the date. */
function sameAnswer(a: HttpAnswer, b: HttpAnswer, idsOfA: Record<string, string>, idsOfB: Record<string, string>): string {
  const masked = (answer: HttpAnswer, ids: Record<string, string>) =>
    Object.values(ids).reduce((text, id) => text.split(id).join('<id>'), JSON.stringify(answer.body));
  const identicalBodies = JSON.stringify(a.body) === JSON.stringify(b.body);
  const headers = (answer: HttpAnswer) =>
    [...answer.headers].filter(([name]) => name !== 'date' && (identicalBodies || name !== 'etag')).map(([name, value]) => `${name}: ${value}`);
  const differences = [
    ...(a.status !== b.status ? [`status ${a.status} vs ${b.status}`] : []),
    ...(masked(a, idsOfA) !== masked(b, idsOfB) ? [`body ${masked(a, idsOfA)} vs ${masked(b, idsOfB)}`] : []),
    ...(JSON.stringify(headers(a)) !== JSON.stringify(headers(b)) ? [`headers ${headers(a).join('; ')} vs ${headers(b).join('; ')}`] : []),
  ];
  return differences.length === 0 ? 'same status, body and headers' : differences.join('; ');
}
