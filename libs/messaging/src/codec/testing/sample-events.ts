import { event, EVENT_TYPES, type DomainEvent, type EventCatalogue, type EventOf, type EventType, type StageFigures } from '@exchange/domain';
import type { StoredEventLike } from '../event-envelope';

/**
 * Realistic events of the battery chain (the demo scenario's organizations and figures), one per
 * event type with every optional field set, plus variants that leave optional fields out or lists
 * empty. Typed over EventCatalogue, so a new event type without a sample does not compile.
 */

const AT = '2026-03-01T10:00:00.000Z';
const ED25519_X = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const stages = (rawMaterialAcquisition: string, mainProduction: string, distribution: string, endOfLife: string): StageFigures => ({
  rawMaterialAcquisition,
  mainProduction,
  distribution,
  endOfLife,
});

export const SAMPLE_EVENTS: { readonly [T in EventType]: EventCatalogue[T] } = {
  'organization.registered': {
    organizationId: 'kanto-cathode',
    name: 'Kanto Cathode Materials',
    roles: ['supplier', 'oem'],
    jwks: {
      keys: [
        { kid: 'kanto-2026', kty: 'OKP', crv: 'Ed25519', x: ED25519_X, alg: 'EdDSA', use: 'sig' },
        {
          kid: 'kanto-p256',
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    },
    clientId: 'client-kanto-cathode',
    clientSecretSha256: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
    registeredAt: AT,
  },
  'organization.keys-rotated': {
    organizationId: 'kanto-cathode',
    jwks: { keys: [{ kid: 'kanto-2027', kty: 'OKP', crv: 'Ed25519', x: ED25519_X }] },
    rotatedAt: '2027-01-01T00:00:00.000Z',
  },
  'part.registered': {
    partId: 'nmc811',
    ownerOrgId: 'kanto-cathode',
    partNumber: 'NMC811-CAM',
    name: 'NMC811 cathode active material',
    declaredUnit: 'kilogram',
    registeredAt: AT,
  },
  'part.bom-set': {
    partId: 'nmc811',
    ownerOrgId: 'kanto-cathode',
    inputs: [
      { supplierOrgId: 'pacific-nickel', supplierPartId: 'niso4', quantity: '1.4' },
      { supplierOrgId: 'katanga-cobalt', supplierPartId: 'coso4', quantity: '0.24' },
      { supplierOrgId: 'andes-lithium', supplierPartId: 'li2co3', quantity: '0.38' },
    ],
    setAt: AT,
  },
  'request.created': {
    requestId: 'req-0001',
    kind: 'cfp',
    requesterOrgId: 'kanto-cathode',
    supplierOrgId: 'katanga-cobalt',
    supplierPartId: 'coso4',
    message: 'Version 2 of your CoSO₄ footprint, please — EU 2023/1542 rules',
    dueDate: '2026-04-30',
    createdAt: AT,
  },
  'request.answered': {
    requestId: 'req-0001',
    requesterOrgId: 'kanto-cathode',
    supplierOrgId: 'katanga-cobalt',
    documentType: 'footprint',
    documentId: 'fp-coso4',
    answeredAt: AT,
  },
  'request.rejected': {
    requestId: 'req-0002',
    requesterOrgId: 'kanto-cathode',
    supplierOrgId: 'hokkai-graphite',
    reason: 'The part is not sold to this customer',
    rejectedAt: AT,
  },
  'footprint.submitted': {
    footprintId: 'fp-nmc811',
    version: 1,
    issuer: 'kanto-cathode',
    partId: 'nmc811',
    jws: 'eyJhbGciOiJFZERTQSIsImtpZCI6ImthbnRvLTIwMjYiLCJ0eXAiOiJjZnArandzIn0.eyJpZCI6ImZwLW5tYzgxMSJ9.c2lnbmF0dXJl',
    payloadSha256: 'Yz3KdbmX8fDgSjDgcDQ2PgkN5QBr6bCVq6QqzT9l8Lw',
    document: {
      id: 'fp-nmc811',
      version: 1,
      issuer: 'kanto-cathode',
      partId: 'nmc811',
      declaredUnit: 'kilogram',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      methodology: 'EU 2023/1542 CFP rules',
      total: { ...stages('9.616', '14.648', '0.942', '0'), value: '25.206' },
      derivationSha256: 'tQzL2uVkb7bJwq0x4s0mFfY2pQm3mJzqk6w8vX1a9cE',
    },
    derivation: {
      salt: 'c2FsdC1vZi1hdC1sZWFzdC0xNg',
      own: stages('0.8', '9.5', '0.2', '0'),
      inputs: [
        { footprintId: 'fp-niso4', version: 1, payloadSha256: 'sha-niso4-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', quantity: '1.4' },
        { footprintId: 'fp-coso4', version: 2, payloadSha256: 'sha-coso4-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', quantity: '0.24' },
      ],
    },
    receivedAt: AT,
  },
  'footprint.input-superseded': {
    footprintId: 'fp-coso4',
    version: 1,
    supersededBy: 2,
    pinnedBy: 'fp-nmc811',
    pinnedByVersion: 1,
    pinnedByIssuer: 'kanto-cathode',
    notifiedAt: AT,
  },
  'attestation.created': {
    attestationId: 'att-0001',
    footprintId: 'fp-nmc811',
    version: 1,
    footprintIssuer: 'kanto-cathode',
    issuer: 'rheinland-cert',
    result: 'verified',
    jws: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6ImF0dC0wMDAxIn0.c2ln',
    payloadSha256: 'q1n2b3v4c5x6z7l8k9j0h1g2f3d4s5a6p7o8i9u0y1t',
    document: {
      id: 'att-0001',
      issuer: 'rheinland-cert',
      footprintId: 'fp-nmc811',
      version: 1,
      payloadSha256: 'Yz3KdbmX8fDgSjDgcDQ2PgkN5QBr6bCVq6QqzT9l8Lw',
      derivationSha256: 'tQzL2uVkb7bJwq0x4s0mFfY2pQm3mJzqk6w8vX1a9cE',
      result: 'verified',
      standard: 'ISO 14067',
      findings: ['Aggregation reproduced from the event history', 'All input signatures valid'],
      validUntil: '2027-03-01',
    },
    receivedAt: AT,
  },
  'dd-report.submitted': {
    ddReportId: 'dd-coso4',
    version: 1,
    issuer: 'katanga-cobalt',
    partId: 'coso4',
    jws: 'eyJhbGciOiJFUzI1NiJ9.eyJpZCI6ImRkLWNvc280In0.c2ln',
    payloadSha256: 'dd-sha-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC',
    document: {
      id: 'dd-coso4',
      version: 1,
      issuer: 'katanga-cobalt',
      partId: 'coso4',
      period: { from: '2025-01-01', to: '2025-12-31' },
      minerals: ['cobalt', 'naturalGraphite'],
      oecdSteps: {
        managementSystems: { status: 'implemented', evidence: 'https://katanga.example/policy.pdf' },
        riskIdentification: { status: 'implemented' },
        riskResponse: { status: 'partial', evidence: 'Mitigation plan under way' },
        independentAudit: { status: 'notImplemented' },
        reporting: { status: 'implemented' },
      },
      smelters: [{ id: 'CID002345', name: 'Kolwezi Refinery', country: 'CD', mineral: 'cobalt', audit: 'conformant' }],
      risks: [
        { category: 'artisanal mining', level: 'high', mitigation: 'Supplier audits twice a year' },
        { category: 'water use', level: 'low' },
      ],
      inputs: [{ ddReportId: 'dd-ore', version: 3, payloadSha256: 'ore-sha-DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD' }],
    },
    receivedAt: AT,
  },
  'grant.created': {
    grantId: 'grant-0001',
    ownerOrgId: 'katanga-cobalt',
    resource: { type: 'footprint', id: 'fp-coso4' },
    granteeOrgId: 'kanto-cathode',
    purpose: 'downstream-aggregation',
    scope: 'derivation',
    expiresAt: '2027-03-01T00:00:00.000Z',
    origin: { kind: 'request', requestId: 'req-0001' },
    createdAt: AT,
  },
  'grant.revoked': {
    grantId: 'grant-0001',
    ownerOrgId: 'katanga-cobalt',
    granteeOrgId: 'kanto-cathode',
    resource: { type: 'footprint', id: 'fp-coso4' },
    revokedAt: AT,
  },
  'protected-data.read': {
    resource: { type: 'dd-report', id: 'dd-coso4' },
    ownerOrgId: 'katanga-cobalt',
    readerOrgId: 'rheinland-cert',
    grantId: 'grant-0002',
    purpose: 'verification',
    scope: 'document',
    what: 'dd-report document',
    readAt: AT,
  },
  'protected-data.read-refused': {
    resource: { type: 'footprint', id: 'fp-coso4' },
    ownerOrgId: 'katanga-cobalt',
    readerOrgId: 'somebody-else',
    reason: 'insufficient-scope',
    what: 'derivation',
    at: AT,
  },
  'protected-data.bulk-read': {
    ownerOrgId: 'katanga-cobalt',
    readerOrgId: 'rheinland-cert',
    what: 'derivation (reproduce)',
    readAt: AT,
    reads: [
      { resource: { type: 'footprint', id: 'fp-coso4' }, grantId: 'grant-0003', purpose: 'verification', scope: 'derivation' },
      { resource: { type: 'footprint', id: 'fp-cobalt-ore' }, grantId: 'grant-0004', purpose: 'downstream-aggregation', scope: 'derivation' },
      { resource: { type: 'dd-report', id: 'dd-coso4' }, grantId: 'grant-0002', purpose: 'verification', scope: 'document' },
    ],
  },
  'reaction.parked': {
    cause: { eventId: 'evt-0042', type: 'request.answered', position: '42' },
    reaction: 'grant for the requester',
    code: 'unknown-grantee',
    reason: 'no organization org-gone',
    parkedAt: AT,
  },
  'submission.received': {
    submissionId: 'sub-0001',
    issuer: 'mirai-motors',
    regulatorOrgId: 'eu-authority',
    jws: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6InN1Yi0wMDAxIn0.c2ln',
    payloadSha256: 'sub-sha-EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE',
    declaration: {
      id: 'decl-0001',
      issuer: 'mirai-motors',
      batteryModel: 'MM-EV-77kWh',
      manufacturingSite: 'Nagoya, JP',
      footprintId: 'fp-pack',
      footprintVersion: 1,
      energyOverServiceLifeKWh: '123200',
      cfpPerFunctionalUnit: '0.0587012987012987',
      cfpPerStage: stages('5210.4', '1788.2', '96.5', '137.1'),
      attestationIds: ['att-0001', 'att-0002'],
      ddReportId: 'dd-pack',
      publicStudyUrl: 'https://mirai.example/cfp-study',
    },
    receivedAt: AT,
  },
  'submission.acknowledged': {
    submissionId: 'sub-0001',
    issuer: 'mirai-motors',
    regulatorOrgId: 'eu-authority',
    jws: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6ImFjay0wMDAxIn0.c2ln',
    payloadSha256: 'ack-sha-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
    acknowledgement: {
      id: 'ack-0001',
      issuer: 'eu-authority',
      submissionId: 'sub-0001',
      payloadSha256: 'sub-sha-EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE',
      result: 'accepted',
      comments: 'Declaration checked against the attested footprint',
    },
    acknowledgedAt: AT,
  },
};

/** Optional fields left out, lists empty, zero and empty values: what a lossy codec would get wrong. */
export const SAMPLE_EVENT_VARIANTS: readonly DomainEvent[] = [
  withData('organization.registered', { roles: [], jwks: { keys: [{ kid: 'bare', kty: 'OKP', crv: 'Ed25519', x: '' }] } }),
  withData('part.bom-set', { inputs: [] }),
  withData('request.created', { kind: 'dd', message: undefined, dueDate: undefined }),
  withData('request.created', { message: '' }),
  withData('request.answered', { documentType: 'dd-report', documentId: 'dd-coso4' }),
  withData('footprint.submitted', {
    version: 0,
    document: { ...SAMPLE_EVENTS['footprint.submitted'].document, version: 0, validUntil: undefined },
    derivation: { ...SAMPLE_EVENTS['footprint.submitted'].derivation, inputs: [] },
  }),
  withData('attestation.created', {
    result: 'rejected',
    document: { ...SAMPLE_EVENTS['attestation.created'].document, result: 'rejected', findings: [] },
  }),
  withData('grant.created', { expiresAt: undefined, origin: { kind: 'owner' } }),
  withData('grant.created', {
    origin: { kind: 'submission', submissionId: 'sub-0001' },
    purpose: 'regulatory',
    resource: { type: 'submission', id: 'sub-0001' },
  }),
  withData('protected-data.read-refused', { resource: { type: 'submission', id: 'sub-0001' }, reason: 'no-grant', what: 'document' }),
  withData('protected-data.bulk-read', {
    reads: [{ resource: { type: 'submission', id: 'sub-0001' }, grantId: 'grant-0005', purpose: 'regulatory', scope: 'document' }],
  }),
  withData('protected-data.bulk-read', { what: '', reads: [] }),
  withData('submission.received', {
    declaration: { ...SAMPLE_EVENTS['submission.received'].declaration, ddReportId: undefined, publicStudyUrl: undefined, attestationIds: [] },
  }),
  withData('submission.acknowledged', {
    acknowledgement: { ...SAMPLE_EVENTS['submission.acknowledged'].acknowledgement, result: 'rejected', comments: undefined },
  }),
];

/** Every sample, as domain events: one per EVENT_TYPES entry, then the variants. */
export function sampleDomainEvents(): DomainEvent[] {
  return [...EVENT_TYPES.map(sampleEvent), ...SAMPLE_EVENT_VARIANTS];
}

export function sampleEvent<T extends EventType>(type: T): EventOf<T> {
  return event(type, copyOf(SAMPLE_EVENTS[type] as EventCatalogue[T]));
}

/** A domain event as the event store would hand it to the relay. */
export function storedSample<E extends DomainEvent>(event: E, index = 0): E & Omit<StoredEventLike, 'type' | 'data'> {
  return {
    ...event,
    id: `0190f0a4-7c1e-7d3a-9b1e-${String(index).padStart(12, '0')}`,
    streamId: `sample-stream-${index % 3}`,
    revision: index,
    position: 9_007_199_254_740_993n + BigInt(index),
    recordedAt: AT,
  };
}

/** The sample of `type` with `overrides`; an override of undefined removes the key, as domain code would leave it out. */
function withData<T extends EventType>(type: T, overrides: { [K in keyof EventCatalogue[T]]?: EventCatalogue[T][K] | undefined }): DomainEvent {
  return { type, data: withoutUndefined({ ...copyOf(SAMPLE_EVENTS[type]), ...overrides }) } as DomainEvent;
}

/** A deep copy made with this realm's JSON (structuredClone would build objects of another realm under jest). */
function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key, withoutUndefined(inner)]),
  );
}
