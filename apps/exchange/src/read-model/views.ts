import type {
  AttestationCreated,
  BomLine,
  Declaration,
  DdReportDocument,
  Derivation,
  FootprintDocument,
  Role,
  Acknowledgement,
  RequestKind,
} from '@exchange/domain';
import type { GrantView } from '@exchange/access';

export type { KeyRecord as KeyRecordView } from '@exchange/signing';
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

export interface RequestView {
  id: string;
  kind: RequestKind;
  requesterOrgId: string;
  supplierOrgId: string;
  supplierPartId: string;
  message?: string;
  dueDate?: string;
  status: 'open' | 'answered' | 'rejected';
  documentId?: string;
  reason?: string;
  createdAt: string;
  position: bigint;
}

export interface FootprintVersionView {
  footprintId: string;
  version: number;
  issuer: string;
  partId: string;
  jws: string;
  payloadSha256: string;
  document: FootprintDocument;
  derivation: Derivation;
  receivedAt: string;
  position: bigint;
}

export interface FootprintView {
  id: string;
  issuer: string;
  partId: string;
  versions: FootprintVersionView[];
  attestations: (AttestationCreated & { position: bigint })[];
}

export interface DdReportVersionView {
  ddReportId: string;
  version: number;
  issuer: string;
  partId: string;
  jws: string;
  payloadSha256: string;
  document: DdReportDocument;
  receivedAt: string;
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

export interface AuditEntry {
  position: bigint;
  readerOrgId: string;
  grantId: string;
  purpose: string;
  scope: string;
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
