import type { AttestationResult, BomLine, Purpose, ReadRefusalReason, RequestCreated, ResourceType, Role, Scope, Total } from '@exchange/domain';
import type { GrantView } from '@exchange/access';
import type { KeyRecord } from '@exchange/signing';

export interface OrganizationView {
  id: string;
  name: string;
  roles: Role[];
  clientId: string;
  clientSecretSha256: string;
  keys: KeyRecord[];
  registeredAt: string;
}

export interface PartView {
  id: string;
  ownerOrgId: string;
  partNumber: string;
  name: string;
  declaredUnit: string;
  bom: BomLine[];
  registeredAt: string;
  position: bigint;
}

/** A request as created, with where it stands now. */
export interface RequestView extends Omit<RequestCreated, 'requestId'> {
  id: string;
  status: 'open' | 'answered' | 'rejected';
  documentId?: string;
  reason?: string;
  position: bigint;
}

/** A footprint version by id and version, as a derivation pins it. */
export interface VersionRef {
  footprintId: string;
  version: number;
}

/**
 * Where a fact the read model summarizes was recorded: the revision of its event in the stream of
 * the document it belongs to. `RecordedFacts` reads the event back for what the view leaves out.
 */
export interface Recorded {
  position: bigint;
  revision: number;
}

/**
 * A footprint version: what queries and commands filter and decide on. The signed document, its
 * JWS and the derivation stay in the event store (`RecordedFacts.footprintVersion`).
 */
export interface FootprintVersionView extends Recorded {
  footprintId: string;
  version: number;
  issuer: string;
  partId: string;
  payloadSha256: string;
  total: Total;
  /** Until when the signed document says it is valid, when it says. */
  validUntil?: string;
  /** The versions its derivation pins (their hashes and quantities are in the derivation). */
  inputs: readonly VersionRef[];
  receivedAt: string;
}

/** An attestation of a footprint version; its document and JWS: `RecordedFacts.attestation`. */
export interface AttestationView extends Recorded {
  attestationId: string;
  footprintId: string;
  version: number;
  issuer: string;
  result: AttestationResult;
  payloadSha256: string;
  /** Until when the certification body stands by it (as signed). */
  validUntil: string;
  receivedAt: string;
}

export interface FootprintView {
  id: string;
  issuer: string;
  partId: string;
  versions: FootprintVersionView[];
  attestations: AttestationView[];
}

/** A DD report version; its document and JWS: `RecordedFacts.ddReportVersion`. */
export interface DdReportVersionView extends Recorded {
  ddReportId: string;
  version: number;
  issuer: string;
  partId: string;
  payloadSha256: string;
  /** The report versions its document pins. */
  inputs: readonly { ddReportId: string; version: number }[];
  receivedAt: string;
}

export interface DdReportView {
  id: string;
  issuer: string;
  partId: string;
  versions: DdReportVersionView[];
}

/**
 * A submission and where it stands. The declaration, its JWS and the acknowledgement are read
 * back by `RecordedFacts.submission` (`revision` is that of `submission.received`).
 */
export interface SubmissionView extends Recorded {
  id: string;
  issuer: string;
  regulatorOrgId: string;
  payloadSha256: string;
  receivedAt: string;
  status: 'received' | 'acknowledged';
  /** Revision of `submission.acknowledged`, once acknowledged. */
  acknowledgedRevision?: number;
}

/**
 * One entry of a resource's audit trail: a read made under a grant, or an attempt the access
 * policy refused (with its reason). Refusals are kept in a log of their own, apart from the event
 * store, so that they move no position the refused caller can see (see `RefusalTrail`). `ownerOrgId` and `resourceType` say whose resource it was
 * (ids are chosen by issuers, so two owners may hold resources with one id).
 */
export interface AuditEntry {
  /** Where the entry's event stands in its log: the event store, or (`log: 'refusals'`) the refusal log. */
  position: bigint;
  log?: 'refusals';
  ownerOrgId: string;
  resourceType: ResourceType;
  outcome: 'read' | 'refused';
  readerOrgId: string;
  grantId?: string;
  purpose?: Purpose;
  scope?: Scope;
  reason?: ReadRefusalReason;
  what: string;
  readAt: string;
}

/**
 * An event an organization is told about (`notificationsFor`), by where it stands in the global
 * order. `RecordedFacts.feedEvents` reads it back with `readAll({ after: previous })`: positions
 * are not contiguous in every store (EventStoreDB's are log offsets), so the one before is kept.
 */
export interface FeedEntry {
  position: bigint;
  /** The global position of the event applied just before it. */
  previous: bigint;
}

export type { GrantView };

/** A grant as the read model keeps it: the access policy's view plus where it was created. */
export interface GrantRecord extends GrantView {
  position: bigint;
}
