import type { AttestationResult, BomLine, Purpose, ReadRefusalReason, RequestCreated, ResourceType, Role, Scope, Total } from '@exchange/domain';
import type { GrantView } from '@exchange/access';
import type { KeyRecord } from '@exchange/signing';

export interface OrganizationView {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly clientId: string;
  readonly clientSecretSha256: string;
  readonly keys: readonly KeyRecord[];
  readonly registeredAt: string;
}

export interface PartView {
  readonly id: string;
  readonly ownerOrgId: string;
  readonly partNumber: string;
  readonly name: string;
  readonly declaredUnit: string;
  readonly bom: readonly BomLine[];
  readonly registeredAt: string;
  readonly position: bigint;
}

/** A request as created, with where it stands now. */
export interface RequestView extends Readonly<Omit<RequestCreated, 'requestId'>> {
  readonly id: string;
  readonly status: 'open' | 'answered' | 'rejected';
  readonly documentId?: string;
  readonly reason?: string;
  readonly position: bigint;
}

/** A footprint version by id and version, as a derivation pins it. */
export interface VersionRef {
  readonly footprintId: string;
  readonly version: number;
}

/**
 * Where a fact the read model summarizes was recorded: the revision of its event in the stream of
 * the document it belongs to. `RecordedFacts` reads the event back for what the view leaves out.
 */
export interface Recorded {
  readonly position: bigint;
  readonly revision: number;
}

/**
 * A footprint version: what queries and commands filter and decide on. The signed document, its
 * JWS and the derivation stay in the event store (`RecordedFacts.footprintVersion`).
 */
export interface FootprintVersionView extends Recorded {
  readonly footprintId: string;
  readonly version: number;
  readonly issuer: string;
  readonly partId: string;
  readonly payloadSha256: string;
  readonly total: Total;
  /** Until when the signed document says it is valid, when it says. */
  readonly validUntil?: string;
  /** The versions its derivation pins (their hashes and quantities are in the derivation). */
  readonly inputs: readonly VersionRef[];
  readonly receivedAt: string;
}

/** An attestation of a footprint version; its document and JWS: `RecordedFacts.attestation`. */
export interface AttestationView extends Recorded {
  readonly attestationId: string;
  readonly footprintId: string;
  readonly version: number;
  readonly issuer: string;
  readonly result: AttestationResult;
  readonly payloadSha256: string;
  /** Until when the certification body stands by it (as signed). */
  readonly validUntil: string;
  readonly receivedAt: string;
}

export interface FootprintView {
  readonly id: string;
  readonly issuer: string;
  readonly partId: string;
  readonly versions: readonly FootprintVersionView[];
  readonly attestations: readonly AttestationView[];
}

/** A DD report version; its document and JWS: `RecordedFacts.ddReportVersion`. */
export interface DdReportVersionView extends Recorded {
  readonly ddReportId: string;
  readonly version: number;
  readonly issuer: string;
  readonly partId: string;
  readonly payloadSha256: string;
  /** The report versions its document pins. */
  readonly inputs: readonly { ddReportId: string; version: number }[];
  readonly receivedAt: string;
}

export interface DdReportView {
  readonly id: string;
  readonly issuer: string;
  readonly partId: string;
  readonly versions: readonly DdReportVersionView[];
}

/**
 * A submission and where it stands. The declaration, its JWS and the acknowledgement are read
 * back by `RecordedFacts.submission` (`revision` is that of `submission.received`).
 */
export interface SubmissionView extends Recorded {
  readonly id: string;
  readonly issuer: string;
  readonly regulatorOrgId: string;
  readonly payloadSha256: string;
  readonly receivedAt: string;
  readonly status: 'received' | 'acknowledged';
  /** Revision of `submission.acknowledged`, once acknowledged. */
  readonly acknowledgedRevision?: number;
}

/**
 * One entry of a resource's audit trail: a read made under a grant, or an attempt the access
 * policy refused (with its reason). Refusals are kept in a log of their own, apart from the event
 * store, so that they move no position the refused caller can see (see `RefusalTrail`). `ownerOrgId` and `resourceType` say whose resource it was
 * (ids are chosen by issuers, so two owners may hold resources with one id).
 */
export interface AuditEntry {
  /** Where the entry's event stands in its log: the event store, or (`log: 'refusals'`) the refusal log. */
  readonly position: bigint;
  readonly log?: 'refusals';
  readonly ownerOrgId: string;
  readonly resourceType: ResourceType;
  readonly outcome: 'read' | 'refused';
  readonly readerOrgId: string;
  readonly grantId?: string;
  readonly purpose?: Purpose;
  readonly scope?: Scope;
  readonly reason?: ReadRefusalReason;
  readonly what: string;
  readonly readAt: string;
}

/**
 * An event an organization is told about (`notificationsFor`), by where it stands in the global
 * order. `RecordedFacts.feedEvents` reads it back with `readAll({ after: previous })`: positions
 * are not contiguous in every store (EventStoreDB's are log offsets), so the one before is kept.
 */
export interface FeedEntry {
  readonly position: bigint;
  /** The global position of the event applied just before it. */
  readonly previous: bigint;
}

export type { GrantView };

/** A grant as the read model keeps it: the access policy's view plus where it was created. */
export interface GrantRecord extends Readonly<GrantView> {
  readonly position: bigint;
}
