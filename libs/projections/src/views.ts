import type { Acknowledgement, AttestationCreated, BomLine, Declaration, DdReportSubmitted, FootprintSubmitted, Purpose, ReadRefusalReason, RequestCreated, ResourceType, Role, Scope } from '@exchange/domain';
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

export interface FootprintVersionView extends FootprintSubmitted {
  position: bigint;
}

export interface FootprintView {
  id: string;
  issuer: string;
  partId: string;
  versions: FootprintVersionView[];
  attestations: (AttestationCreated & { position: bigint })[];
}

export interface DdReportVersionView extends DdReportSubmitted {
  position: bigint;
}

export interface DdReportView {
  id: string;
  issuer: string;
  partId: string;
  versions: DdReportVersionView[];
}

export interface SubmissionView {
  id: string;
  issuer: string;
  regulatorOrgId: string;
  jws: string;
  payloadSha256: string;
  declaration: Declaration;
  receivedAt: string;
  position: bigint;
  status: 'received' | 'acknowledged';
  acknowledgement?: { jws: string; payloadSha256: string; document: Acknowledgement; acknowledgedAt: string };
}

/**
 * One entry of a resource's audit trail: a read made under a grant, or an attempt the access
 * policy refused (with its reason). `ownerOrgId` and `resourceType` say whose resource it was
 * (ids are chosen by issuers, so two owners may hold resources with one id).
 */
export interface AuditEntry {
  position: bigint;
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

export interface FeedItem {
  position: bigint;
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export type { GrantView };

/** A grant as the read model keeps it: the access policy's view plus where it was created. */
export interface GrantRecord extends GrantView {
  position: bigint;
}
