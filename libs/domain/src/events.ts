import type { DecimalString } from './decimal';
import type { StageFigures, Total } from './stages';

/**
 * Every fact the exchange records. Event types are stable string names: they are stored forever
 * and must never be derived from class names or renamed.
 */

export type Role = 'supplier' | 'oem' | 'certifier' | 'regulator';
export const ROLES: readonly Role[] = ['supplier', 'oem', 'certifier', 'regulator'];

export type SigningAlgorithm = 'EdDSA' | 'ES256';

/** A registered participant verification key: Ed25519 (OKP) or P-256 (EC), public members only. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  kid: string;
  alg?: SigningAlgorithm;
  use?: 'sig';
}
export interface Jwks {
  keys: PublicJwk[];
}

export interface OrganizationRegistered {
  organizationId: string;
  name: string;
  roles: Role[];
  jwks: Jwks;
  clientId: string;
  clientSecretSha256: string;
  registeredAt: string;
}
export interface OrganizationKeysRotated {
  organizationId: string;
  jwks: Jwks;
  rotatedAt: string;
}

export interface BomLine {
  supplierOrgId: string;
  supplierPartId: string;
  quantity: DecimalString;
}
export interface PartRegistered {
  partId: string;
  ownerOrgId: string;
  partNumber: string;
  name: string;
  declaredUnit: string;
  registeredAt: string;
}
export interface PartBomSet {
  partId: string;
  ownerOrgId: string;
  inputs: BomLine[];
  setAt: string;
}

export type RequestKind = 'cfp' | 'dd';
export interface RequestCreated {
  requestId: string;
  kind: RequestKind;
  requesterOrgId: string;
  supplierOrgId: string;
  supplierPartId: string;
  message?: string;
  dueDate?: string;
  createdAt: string;
}
export interface RequestAnswered {
  requestId: string;
  requesterOrgId: string;
  supplierOrgId: string;
  documentType: 'footprint' | 'dd-report';
  documentId: string;
  answeredAt: string;
}
export interface RequestRejected {
  requestId: string;
  requesterOrgId: string;
  supplierOrgId: string;
  reason: string;
  rejectedAt: string;
}

export interface FootprintDocument {
  id: string;
  version: number;
  issuer: string;
  partId: string;
  declaredUnit: string;
  validFrom: string;
  validUntil?: string;
  methodology: string;
  total: Total;
  derivationSha256: string;
}
export interface PinnedInput {
  footprintId: string;
  version: number;
  payloadSha256: string;
  quantity: DecimalString;
}
export interface Derivation {
  salt: string;
  own: StageFigures;
  inputs: PinnedInput[];
}
export interface FootprintSubmitted {
  footprintId: string;
  version: number;
  issuer: string;
  partId: string;
  jws: string;
  payloadSha256: string;
  document: FootprintDocument;
  derivation: Derivation;
  receivedAt: string;
}
export interface FootprintInputSuperseded {
  footprintId: string;
  version: number;
  supersededBy: number;
  pinnedBy: string;
  pinnedByVersion: number;
  pinnedByIssuer: string;
  notifiedAt: string;
}

export type AttestationResult = 'verified' | 'rejected';
export interface AttestationDocument {
  id: string;
  issuer: string;
  footprintId: string;
  version: number;
  payloadSha256: string;
  derivationSha256: string;
  result: AttestationResult;
  standard: string;
  findings: string[];
  validUntil: string;
}
export interface AttestationCreated {
  attestationId: string;
  footprintId: string;
  version: number;
  footprintIssuer: string;
  issuer: string;
  result: AttestationResult;
  jws: string;
  payloadSha256: string;
  document: AttestationDocument;
  receivedAt: string;
}

export const MINERALS = ['cobalt', 'lithium', 'nickel', 'naturalGraphite'] as const;
export type Mineral = (typeof MINERALS)[number];
export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const OECD_STEPS = ['managementSystems', 'riskIdentification', 'riskResponse', 'independentAudit', 'reporting'] as const;
export type OecdStep = (typeof OECD_STEPS)[number];
export const STEP_STATUSES = ['implemented', 'partial', 'notImplemented'] as const;
export const AUDIT_STATUSES = ['conformant', 'active', 'none'] as const;

export interface Smelter {
  id: string;
  name: string;
  country: string;
  mineral: Mineral;
  audit: (typeof AUDIT_STATUSES)[number];
}
export interface Risk {
  category: string;
  level: RiskLevel;
  mitigation?: string;
}
export interface DdInput {
  ddReportId: string;
  version: number;
  payloadSha256: string;
}
export interface DdReportDocument {
  id: string;
  version: number;
  issuer: string;
  partId: string;
  period: { from: string; to: string };
  minerals: Mineral[];
  oecdSteps: Record<OecdStep, { status: (typeof STEP_STATUSES)[number]; evidence?: string }>;
  smelters: Smelter[];
  risks: Risk[];
  inputs: DdInput[];
}
export interface DdReportSubmitted {
  ddReportId: string;
  version: number;
  issuer: string;
  partId: string;
  jws: string;
  payloadSha256: string;
  document: DdReportDocument;
  receivedAt: string;
}

export type ResourceType = 'footprint' | 'dd-report' | 'submission';
export type Purpose = 'downstream-aggregation' | 'verification' | 'regulatory';
export type Scope = 'document' | 'derivation';
export type GrantOrigin = { kind: 'owner' } | { kind: 'request'; requestId: string } | { kind: 'submission'; submissionId: string };
export interface GrantCreated {
  grantId: string;
  ownerOrgId: string;
  resource: { type: ResourceType; id: string };
  granteeOrgId: string;
  purpose: Purpose;
  scope: Scope;
  expiresAt?: string;
  origin: GrantOrigin;
  createdAt: string;
}
export interface GrantRevoked {
  grantId: string;
  ownerOrgId: string;
  granteeOrgId: string;
  resource: { type: ResourceType; id: string };
  revokedAt: string;
}

export interface ProtectedDataRead {
  resource: { type: ResourceType; id: string };
  ownerOrgId: string;
  readerOrgId: string;
  grantId: string;
  purpose: Purpose;
  scope: Scope;
  what: string;
  readAt: string;
}

/** One of the reads a `protected-data.bulk-read` records: the resource and the grant it was read under. */
export interface BulkReadItem {
  resource: { type: ResourceType; id: string };
  grantId: string;
  purpose: Purpose;
  scope: Scope;
}

/**
 * Several reads one caller made under grants, in one request, of resources of one owner, for one
 * `what`, recorded as one fact (a `reproduce` reads the derivation of every level it may): the
 * owner's audit trail shows one entry per item, exactly as if each had been a
 * `protected-data.read` with the same reader, `what` and `readAt`. A resource appears at most once
 * in one event (so an entry's position still names it).
 */
export interface ProtectedDataBulkRead {
  ownerOrgId: string;
  readerOrgId: string;
  what: string;
  readAt: string;
  reads: BulkReadItem[];
}

/** Why the access policy refused a read (stable names; they travel in `protected-data.read-refused`). */
export type ReadRefusalReason = 'no-grant' | 'revoked' | 'expired' | 'insufficient-scope' | 'wrong-purpose';
export const READ_REFUSAL_REASONS = [
  'no-grant',
  'revoked',
  'expired',
  'insufficient-scope',
  'wrong-purpose',
] as const satisfies readonly ReadRefusalReason[];

/**
 * Somebody other than the owner asked to read a resource that exists and was refused: recorded in
 * the resource's audit trail, for its owner (the caller is answered as if it did not exist).
 */
export interface ProtectedDataReadRefused {
  resource: { type: ResourceType; id: string };
  ownerOrgId: string;
  readerOrgId: string;
  reason: ReadRefusalReason;
  what: string;
  at: string;
}

export interface Declaration {
  id: string;
  issuer: string;
  batteryModel: string;
  manufacturingSite: string;
  footprintId: string;
  footprintVersion: number;
  energyOverServiceLifeKWh: DecimalString;
  cfpPerFunctionalUnit: DecimalString;
  cfpPerStage: StageFigures;
  attestationIds: string[];
  ddReportId?: string;
  publicStudyUrl?: string;
}
export interface SubmissionReceived {
  submissionId: string;
  issuer: string;
  regulatorOrgId: string;
  jws: string;
  payloadSha256: string;
  declaration: Declaration;
  receivedAt: string;
}
export interface Acknowledgement {
  id: string;
  issuer: string;
  submissionId: string;
  payloadSha256: string;
  result: 'accepted' | 'rejected';
  comments?: string;
}
export interface SubmissionAcknowledged {
  submissionId: string;
  issuer: string;
  regulatorOrgId: string;
  jws: string;
  payloadSha256: string;
  acknowledgement: Acknowledgement;
  acknowledgedAt: string;
}

/**
 * A follow-up fact the reactions could not record because the domain refused it (a permanent
 * refusal, not a passing failure): recorded so that an operator sees it, and passed over.
 */
export interface ReactionParked {
  /** The event the follow-up was for. */
  cause: { eventId: string; type: string; position: string };
  /** Which follow-up, e.g. "grant for the requester". */
  reaction: string;
  /** The domain's refusal: its stable code and message. */
  code: string;
  reason: string;
  parkedAt: string;
}

/** The catalogue: stable event type name → its data. */
export interface EventCatalogue {
  'organization.registered': OrganizationRegistered;
  'organization.keys-rotated': OrganizationKeysRotated;
  'part.registered': PartRegistered;
  'part.bom-set': PartBomSet;
  'request.created': RequestCreated;
  'request.answered': RequestAnswered;
  'request.rejected': RequestRejected;
  'footprint.submitted': FootprintSubmitted;
  'footprint.input-superseded': FootprintInputSuperseded;
  'attestation.created': AttestationCreated;
  'dd-report.submitted': DdReportSubmitted;
  'grant.created': GrantCreated;
  'grant.revoked': GrantRevoked;
  'protected-data.read': ProtectedDataRead;
  'protected-data.read-refused': ProtectedDataReadRefused;
  'protected-data.bulk-read': ProtectedDataBulkRead;
  'submission.received': SubmissionReceived;
  'submission.acknowledged': SubmissionAcknowledged;
  'reaction.parked': ReactionParked;
}
export type EventType = keyof EventCatalogue;
export const EVENT_TYPES = [
  'organization.registered',
  'organization.keys-rotated',
  'part.registered',
  'part.bom-set',
  'request.created',
  'request.answered',
  'request.rejected',
  'footprint.submitted',
  'footprint.input-superseded',
  'attestation.created',
  'dd-report.submitted',
  'grant.created',
  'grant.revoked',
  'protected-data.read',
  'protected-data.read-refused',
  'protected-data.bulk-read',
  'submission.received',
  'submission.acknowledged',
  'reaction.parked',
] as const satisfies readonly EventType[];

/** A domain event: a stable type name and its data. */
export type DomainEvent = { [T in EventType]: { type: T; data: EventCatalogue[T] } }[EventType];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

export function event<T extends EventType>(type: T, data: EventCatalogue[T]): EventOf<T> {
  return { type, data } as EventOf<T>;
}

/** Stream names: one stream per aggregate instance. */
export const streams = {
  organization: (id: string) => `organization-${id}`,
  part: (id: string) => `part-${id}`,
  request: (id: string) => `request-${id}`,
  footprint: (id: string) => `footprint-${id}`,
  ddReport: (id: string) => `dd-report-${id}`,
  grant: (id: string) => `grant-${id}`,
  submission: (id: string) => `submission-${id}`,
  audit: (resourceId: string) => `audit-${resourceId}`,
  /** Reads of one owner's resources recorded together (`protected-data.bulk-read`). */
  auditReads: (ownerOrgId: string) => `audit-reads-${ownerOrgId}`,
  /** Follow-up facts the domain refused (`reaction.parked`). */
  parkedReactions: () => 'reactions-parked',
};
