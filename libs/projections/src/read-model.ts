import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@exchange/domain';
import type { StoredEvent } from '@exchange/event-store';
import { notificationsFor } from '@exchange/access';
import { applyKeySet } from '@exchange/signing';
import type {
  AuditEntry,
  DdReportView,
  FeedItem,
  FootprintVersionView,
  FootprintView,
  GrantRecord,
  OrganizationView,
  PartView,
  RequestView,
  SubmissionView,
} from './views';

/**
 * The in-memory read side: a fold of every committed event, rebuilt from the store at start and
 * kept current by the projector. Queries read here; `reproduce` deliberately does not.
 */
@Injectable()
export class ReadModel {
  position = 0n;
  readonly organizations = new Map<string, OrganizationView>();
  readonly parts = new Map<string, PartView>();
  readonly requests = new Map<string, RequestView>();
  readonly footprints = new Map<string, FootprintView>();
  readonly ddReports = new Map<string, DdReportView>();
  readonly grants = new Map<string, GrantRecord>();
  readonly submissions = new Map<string, SubmissionView>();
  private readonly grantsByResource = new Map<string, GrantRecord[]>();
  private readonly auditByResource = new Map<string, AuditEntry[]>();
  private readonly feeds = new Map<string, FeedItem[]>();
  private readonly pinners = new Map<string, { footprintId: string; version: number }[]>();

  apply(stored: StoredEvent): void {
    if (stored.position <= this.position) return;
    const e = { type: stored.type, data: stored.data } as DomainEvent;
    this.applyDomainEvent(e, stored.position);
    for (const n of notificationsFor(e)) {
      push(this.feeds, n.recipientOrgId, { position: stored.position, id: stored.id, type: n.type, occurredAt: stored.recordedAt, data: n.data });
    }
    this.position = stored.position;
  }

  private applyDomainEvent(e: DomainEvent, position: bigint): void {
    switch (e.type) {
      case 'organization.registered': {
        const d = e.data;
        this.organizations.set(d.organizationId, {
          id: d.organizationId,
          name: d.name,
          roles: d.roles,
          clientId: d.clientId,
          clientSecretSha256: d.clientSecretSha256,
          keys: applyKeySet([], d.jwks, d.registeredAt),
          registeredAt: d.registeredAt,
        });
        return;
      }
      case 'organization.keys-rotated': {
        const org = this.organizations.get(e.data.organizationId);
        if (org) org.keys = applyKeySet(org.keys, e.data.jwks, e.data.rotatedAt);
        return;
      }
      case 'part.registered': {
        const d = e.data;
        this.parts.set(d.partId, { id: d.partId, ownerOrgId: d.ownerOrgId, partNumber: d.partNumber, name: d.name, declaredUnit: d.declaredUnit, bom: [], registeredAt: d.registeredAt, position });
        return;
      }
      case 'part.bom-set': {
        const part = this.parts.get(e.data.partId);
        if (part) part.bom = e.data.inputs;
        return;
      }
      case 'request.created': {
        const { requestId, createdAt, ...rest } = e.data;
        this.requests.set(requestId, { id: requestId, ...rest, status: 'open', createdAt, position });
        return;
      }
      case 'request.answered': {
        const request = this.requests.get(e.data.requestId);
        if (request) Object.assign(request, { status: 'answered', documentId: e.data.documentId });
        return;
      }
      case 'request.rejected': {
        const request = this.requests.get(e.data.requestId);
        if (request) Object.assign(request, { status: 'rejected', reason: e.data.reason });
        return;
      }
      case 'footprint.submitted': {
        const d = e.data;
        const footprint = this.footprints.get(d.footprintId) ?? { id: d.footprintId, issuer: d.issuer, partId: d.partId, versions: [], attestations: [] };
        footprint.versions.push({ ...d, position });
        this.footprints.set(d.footprintId, footprint);
        for (const input of d.derivation.inputs) push(this.pinners, `${input.footprintId}@${input.version}`, { footprintId: d.footprintId, version: d.version });
        return;
      }
      case 'footprint.input-superseded':
        return;
      case 'attestation.created':
        this.footprints.get(e.data.footprintId)?.attestations.push({ ...e.data, position });
        return;
      case 'dd-report.submitted': {
        const d = e.data;
        const report = this.ddReports.get(d.ddReportId) ?? { id: d.ddReportId, issuer: d.issuer, partId: d.partId, versions: [] };
        report.versions.push({ ...d, position });
        this.ddReports.set(d.ddReportId, report);
        return;
      }
      case 'grant.created': {
        const { origin: _origin, ...created } = e.data;
        const grant = { ...created, position };
        this.grants.set(grant.grantId, grant);
        push(this.grantsByResource, grant.resource.id, grant);
        return;
      }
      case 'grant.revoked': {
        const grant = this.grants.get(e.data.grantId);
        if (grant) grant.revokedAt = e.data.revokedAt;
        return;
      }
      case 'protected-data.read': {
        const d = e.data;
        const { ownerOrgId, resource, readerOrgId, grantId, purpose, scope, what, readAt } = d;
        push(this.auditByResource, resource.id, { position, ownerOrgId, resourceType: resource.type, outcome: 'read', readerOrgId, grantId, purpose, scope, what, readAt });
        return;
      }
      case 'protected-data.read-refused': {
        const { ownerOrgId, resource, readerOrgId, reason, what, at } = e.data;
        push(this.auditByResource, resource.id, { position, ownerOrgId, resourceType: resource.type, outcome: 'refused', readerOrgId, reason, what, readAt: at });
        return;
      }
      case 'submission.received': {
        const d = e.data;
        this.submissions.set(d.submissionId, { id: d.submissionId, issuer: d.issuer, regulatorOrgId: d.regulatorOrgId, jws: d.jws, payloadSha256: d.payloadSha256, declaration: d.declaration, receivedAt: d.receivedAt, position, status: 'received' });
        return;
      }
      case 'submission.acknowledged': {
        const submission = this.submissions.get(e.data.submissionId);
        if (submission) {
          submission.status = 'acknowledged';
          submission.acknowledgement = { jws: e.data.jws, payloadSha256: e.data.payloadSha256, document: e.data.acknowledgement, acknowledgedAt: e.data.acknowledgedAt };
        }
        return;
      }
    }
  }

  /** Grants on a resource (ids are chosen by issuers, so the type is part of the key). */
  grantsOn(resource: { type: string; id: string }): GrantRecord[] {
    return this.grantsOnId(resource.id).filter((g) => g.resource.type === resource.type);
  }

  /** Grants on resources with this id, of whichever type. */
  grantsOnId(resourceId: string): GrantRecord[] {
    return this.grantsByResource.get(resourceId) ?? [];
  }

  /** The audit trail of one owner's resources with this id (of whichever type), oldest first. */
  auditOf(resourceId: string, ownerOrgId: string): AuditEntry[] {
    return (this.auditByResource.get(resourceId) ?? []).filter((entry) => entry.ownerOrgId === ownerOrgId);
  }

  feedOf(orgId: string): FeedItem[] {
    return this.feeds.get(orgId) ?? [];
  }

  footprintVersion(footprintId: string, version?: number): FootprintVersionView | undefined {
    const footprint = this.footprints.get(footprintId);
    if (!footprint) return undefined;
    return version === undefined ? footprint.versions[footprint.versions.length - 1] : footprint.versions.find((v) => v.version === version);
  }

  /** Footprint versions whose derivation pins the given version. */
  pinnersOf(footprintId: string, version: number): { footprintId: string; version: number }[] {
    return this.pinners.get(`${footprintId}@${version}`) ?? [];
  }

  /** Every footprint id reachable through pinned inputs from a version (not including itself). */
  upstreamFootprintIds(footprintId: string, version: number): Set<string> {
    const seen = new Set<string>();
    const walk = (id: string, v: number) => {
      for (const input of this.footprintVersion(id, v)?.derivation.inputs ?? []) {
        const key = `${input.footprintId}@${input.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        walk(input.footprintId, input.version);
      }
    };
    walk(footprintId, version);
    return new Set([...seen].map((key) => key.slice(0, key.lastIndexOf('@'))));
  }

  upstreamDdReportIds(ddReportId: string, version: number): Set<string> {
    const ids = new Set<string>();
    const walk = (id: string, v: number) => {
      const report = this.ddReports.get(id)?.versions.find((x) => x.version === v);
      for (const input of report?.document.inputs ?? []) {
        if (ids.has(input.ddReportId)) continue;
        ids.add(input.ddReportId);
        walk(input.ddReportId, input.version);
      }
    };
    walk(ddReportId, version);
    return ids;
  }

  /** Part ids reachable from a part through bills of material (not including itself). */
  reachablePartIds(partId: string): Set<string> {
    const seen = new Set<string>();
    const walk = (id: string) => {
      for (const line of this.parts.get(id)?.bom ?? []) {
        if (seen.has(line.supplierPartId)) continue;
        seen.add(line.supplierPartId);
        walk(line.supplierPartId);
      }
    };
    walk(partId);
    return seen;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
