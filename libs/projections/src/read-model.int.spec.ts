import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notificationsFor } from '@exchange/access';
import { event, streams, toDomainEvent, type DdReportDocument, type DomainEvent, type FootprintSubmitted } from '@exchange/domain';
import type { StoredEvent } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { Projector } from './projector';
import { ReadModel } from './read-model';
import { consecutiveRuns, RecordedFacts } from './recorded-facts';

const ISSUER = 'org-cathode';
const CUSTOMER = 'org-cell';
const AUDITOR = 'org-auditor';
const REGULATOR = 'org-regulator';
const AT = '2026-01-01T00:00:00.000Z';

function footprintSubmitted(footprintId: string, version: number, inputs: { footprintId: string; version: number }[] = []): FootprintSubmitted {
  const total = { rawMaterialAcquisition: '1.5', mainProduction: '2', distribution: '0.25', endOfLife: '0.1', value: '3.85' };
  return {
    footprintId,
    version,
    issuer: ISSUER,
    partId: `part-${footprintId}`,
    jws: `header.payload-${footprintId}-${version}.signature`,
    payloadSha256: `sha-${footprintId}-${version}`,
    document: {
      id: footprintId,
      version,
      issuer: ISSUER,
      partId: `part-${footprintId}`,
      declaredUnit: 'kilogram',
      validFrom: AT,
      methodology: 'EU 2023/1542 CFP rules',
      total,
      derivationSha256: `derivation-sha-${version}`,
    },
    derivation: {
      salt: 'salt',
      own: { rawMaterialAcquisition: '1.5', mainProduction: '2', distribution: '0.25', endOfLife: '0.1' },
      inputs: inputs.map((i) => ({ ...i, payloadSha256: `sha-${i.footprintId}-${i.version}`, quantity: '0.5' })),
    },
    receivedAt: AT,
  };
}

function grantCreated(resourceId: string, granteeOrgId: string) {
  const grantId = randomUUID();
  return {
    streamId: streams.grant(grantId),
    e: event('grant.created', {
      grantId,
      ownerOrgId: ISSUER,
      resource: { type: 'footprint', id: resourceId },
      granteeOrgId,
      purpose: 'downstream-aggregation',
      scope: 'document',
      origin: { kind: 'owner' },
      createdAt: AT,
    }),
  };
}

describe('the read model keeps summaries; RecordedFacts reads the rest back from the store', () => {
  let directory: string;
  let store: SqliteEventStore;
  let readModel: ReadModel;
  let recorded: RecordedFacts;

  const append = async (streamId: string, ...events: DomainEvent[]) => {
    await store.appendToStream(
      streamId,
      events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data })),
    );
    await new Projector(store, readModel).catchUp();
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'read-model-'));
    store = SqliteEventStore.open(join(directory, 'events.sqlite'));
    readModel = new ReadModel();
    recorded = new RecordedFacts(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps what decisions need of a footprint version and reads its document, JWS and derivation back as submitted', async () => {
    const submitted = footprintSubmitted('fp-1', 1);
    await append(streams.footprint('fp-1'), event('footprint.submitted', submitted));

    const version = readModel.footprints.version('fp-1')!;
    expect(version).toEqual({
      footprintId: 'fp-1',
      version: 1,
      issuer: ISSUER,
      partId: 'part-fp-1',
      payloadSha256: 'sha-fp-1-1',
      total: submitted.document.total,
      inputs: [],
      receivedAt: AT,
      position: 1n,
      revision: 0,
    });
    expect(version).not.toHaveProperty('jws');
    expect(await recorded.footprintVersion(version)).toEqual(submitted);
  });

  it('reads each fact of a footprint stream at its own revision: versions and attestations', async () => {
    const streamId = streams.footprint('fp-1');
    await append(streamId, event('footprint.submitted', footprintSubmitted('fp-1', 1)));
    const attestation = event('attestation.created', {
      attestationId: 'att-1',
      footprintId: 'fp-1',
      version: 1,
      footprintIssuer: ISSUER,
      issuer: AUDITOR,
      result: 'verified',
      jws: 'attestation.jws.signature',
      payloadSha256: 'att-sha',
      document: {
        id: 'att-1',
        issuer: AUDITOR,
        footprintId: 'fp-1',
        version: 1,
        payloadSha256: 'sha-fp-1-1',
        derivationSha256: 'derivation-sha-1',
        result: 'verified',
        standard: 'ISO 14067',
        findings: [],
        validUntil: '2027-01-01T00:00:00.000Z',
      },
      receivedAt: AT,
    });
    await append(streamId, attestation);
    const second = footprintSubmitted('fp-1', 2);
    await append(streamId, event('footprint.submitted', second));

    const footprint = readModel.footprints.get('fp-1')!;
    expect(footprint.versions.map((v) => [v.version, v.revision])).toEqual([
      [1, 0],
      [2, 2],
    ]);
    expect(footprint.attestations).toEqual([
      {
        attestationId: 'att-1',
        footprintId: 'fp-1',
        version: 1,
        issuer: AUDITOR,
        result: 'verified',
        payloadSha256: 'att-sha',
        validUntil: '2027-01-01T00:00:00.000Z',
        receivedAt: AT,
        position: 2n,
        revision: 1,
      },
    ]);
    expect(await recorded.attestation(footprint.attestations[0]!)).toEqual(attestation.data);
    expect(await recorded.footprintVersion(footprint.versions[1]!)).toEqual(second);
  });

  it('refuses to answer with another fact than the view was built from', async () => {
    await append(streams.footprint('fp-1'), event('footprint.submitted', footprintSubmitted('fp-1', 1)));
    const version = readModel.footprints.version('fp-1')!;
    await expect(recorded.footprintVersion({ ...version, revision: 1 })).rejects.toThrow(/no footprint.submitted at revision 1/);
  });

  it('follows pinned inputs without keeping the derivation: pinners and upstream ids', async () => {
    await append(streams.footprint('fp-a'), event('footprint.submitted', footprintSubmitted('fp-a', 1)));
    await append(streams.footprint('fp-b'), event('footprint.submitted', footprintSubmitted('fp-b', 1, [{ footprintId: 'fp-a', version: 1 }])));
    await append(streams.footprint('fp-c'), event('footprint.submitted', footprintSubmitted('fp-c', 1, [{ footprintId: 'fp-b', version: 1 }])));

    expect(readModel.footprints.version('fp-c')!.inputs).toEqual([{ footprintId: 'fp-b', version: 1 }]);
    expect(readModel.footprints.pinnersOf('fp-a', 1).map((p) => [p.footprintId, p.version])).toEqual([['fp-b', 1]]);
    expect(readModel.footprints.pinnersOf('fp-c', 1)).toEqual([]);
    expect(readModel.footprints.pinnersOf('fp-a', 2)).toEqual([]);
    expect(readModel.footprints.upstreamIds('fp-c', 1)).toEqual(new Set(['fp-b', 'fp-a']));
  });

  it('shows each organization exactly what notificationsFor tells it, read back from the store, in order', async () => {
    const stored: StoredEvent[] = [];
    const grants = [grantCreated('fp-1', CUSTOMER), grantCreated('fp-1', AUDITOR), grantCreated('fp-2', CUSTOMER), grantCreated('fp-3', CUSTOMER)];
    await append(streams.footprint('fp-1'), event('footprint.submitted', footprintSubmitted('fp-1', 1)));
    for (const { streamId, e } of grants) await append(streamId, e);
    await append(
      streams.grant(grants[0]!.e.data.grantId),
      event('grant.revoked', {
        grantId: grants[0]!.e.data.grantId,
        ownerOrgId: ISSUER,
        granteeOrgId: CUSTOMER,
        resource: { type: 'footprint', id: 'fp-1' },
        revokedAt: AT,
      }),
    );
    stored.push(...(await store.readAll()));

    const expected = (orgId: string) =>
      stored.flatMap((s) =>
        notificationsFor(toDomainEvent(s)!)
          .filter((n) => n.recipientOrgId === orgId)
          .map((n) => ({ id: s.id, type: n.type, occurredAt: s.recordedAt, data: n.data })),
      );
    const customerFeed = readModel.feeds.of(CUSTOMER);
    expect(customerFeed.map((entry) => entry.position)).toEqual([2n, 4n, 5n, 6n]);
    expect(await recorded.feedEvents(CUSTOMER, customerFeed)).toEqual(expected(CUSTOMER));
    expect(await recorded.feedEvents(AUDITOR, readModel.feeds.of(AUDITOR))).toEqual(expected(AUDITOR));
    expect(await recorded.feedEvents(CUSTOMER, customerFeed.slice(1, 3))).toEqual(expected(CUSTOMER).slice(1, 3));
    expect(readModel.feeds.of(ISSUER)).toEqual([]);
  });

  it('keeps grants whole, one resource object per resource', async () => {
    const first = grantCreated('fp-1', CUSTOMER);
    const second = grantCreated('fp-1', AUDITOR);
    await append(first.streamId, first.e);
    await append(second.streamId, second.e);

    const [a, b] = readModel.grants.on({ type: 'footprint', id: 'fp-1' });
    const { origin: _origin, ...created } = first.e.data;
    expect(a).toEqual({ ...created, position: 1n });
    expect(b!.resource).toBe(a!.resource);
  });

  it('reads back a submission, its declaration and, once acknowledged, the acknowledgement', async () => {
    const streamId = streams.submission('sub-1');
    const received = event('submission.received', {
      submissionId: 'sub-1',
      issuer: ISSUER,
      regulatorOrgId: REGULATOR,
      jws: 'declaration.jws.signature',
      payloadSha256: 'declaration-sha',
      declaration: {
        id: 'sub-1',
        issuer: ISSUER,
        batteryModel: 'B1',
        manufacturingSite: 'Site',
        footprintId: 'fp-1',
        footprintVersion: 1,
        energyOverServiceLifeKWh: '100',
        cfpPerFunctionalUnit: '0.1',
        cfpPerStage: { rawMaterialAcquisition: '1', mainProduction: '1', distribution: '1', endOfLife: '1' },
        attestationIds: [],
      },
      receivedAt: AT,
    });
    await append(streamId, received);
    const submission = readModel.submissions.get('sub-1')!;
    expect(await recorded.submission(submission)).toEqual(received.data);
    expect(await recorded.acknowledgement(submission)).toBeUndefined();

    const acknowledged = event('submission.acknowledged', {
      submissionId: 'sub-1',
      issuer: ISSUER,
      regulatorOrgId: REGULATOR,
      jws: 'ack.jws.signature',
      payloadSha256: 'ack-sha',
      acknowledgement: { id: 'ack-1', issuer: REGULATOR, submissionId: 'sub-1', payloadSha256: 'declaration-sha', result: 'accepted' },
      acknowledgedAt: AT,
    });
    await append(streamId, acknowledged);
    expect(submission.status).toBe('acknowledged');
    expect(await recorded.acknowledgement(submission)).toEqual(acknowledged.data);
  });

  it('keeps the inputs of a DD report version and reads its document back', async () => {
    const report = (id: string, inputs: { ddReportId: string; version: number }[]) => {
      const document: DdReportDocument = {
        id,
        version: 1,
        issuer: ISSUER,
        partId: `part-${id}`,
        period: { from: '2025-01-01', to: '2025-12-31' },
        minerals: ['cobalt'],
        oecdSteps: {
          managementSystems: { status: 'implemented' },
          riskIdentification: { status: 'implemented' },
          riskResponse: { status: 'partial' },
          independentAudit: { status: 'implemented' },
          reporting: { status: 'implemented' },
        },
        smelters: [],
        risks: [],
        inputs: inputs.map((i) => ({ ...i, payloadSha256: `sha-${i.ddReportId}` })),
      };
      return event('dd-report.submitted', {
        ddReportId: id,
        version: 1,
        issuer: ISSUER,
        partId: `part-${id}`,
        jws: `jws-${id}`,
        payloadSha256: `sha-${id}`,
        document,
        receivedAt: AT,
      });
    };
    await append(streams.ddReport('dd-a'), report('dd-a', []));
    const top = report('dd-b', [{ ddReportId: 'dd-a', version: 1 }]);
    await append(streams.ddReport('dd-b'), top);

    const version = readModel.ddReports.get('dd-b')!.versions[0]!;
    expect(version.inputs).toEqual([{ ddReportId: 'dd-a', version: 1 }]);
    expect(readModel.ddReports.upstreamIds('dd-b', 1)).toEqual(new Set(['dd-a']));
    expect(await recorded.ddReportVersion(version)).toEqual(top.data);
  });
});

describe('consecutiveRuns', () => {
  const entry = (previous: bigint, position: bigint) => ({ previous, position });

  it('groups entries that follow each other in the global order, so that each group is one read', () => {
    const entries = [entry(1n, 2n), entry(2n, 3n), entry(5n, 6n), entry(9n, 10n), entry(10n, 11n)];
    expect(consecutiveRuns(entries)).toEqual([[entries[0], entries[1]], [entries[2]], [entries[3], entries[4]]]);
    expect(consecutiveRuns([])).toEqual([]);
  });
});
