import { Injectable } from '@nestjs/common';
import { toDomainEvent, type DomainEvent, type ProtectedDataRead, type ResourceType } from '@exchange/domain';
import type { StoredEvent } from '@exchange/event-store';
import { notificationsFor } from '@exchange/access';
import { applyKeySet } from '@exchange/signing';
import { singleReadsOf } from './bulk-read';
import type {
  AuditEntry,
  DdReportView,
  FeedEntry,
  FootprintVersionView,
  FootprintView,
  GrantRecord,
  OrganizationView,
  PartView,
  RequestView,
  SubmissionView,
  VersionRef,
} from './views';

/**
 * The in-memory read side: a fold of every committed event, rebuilt from the store at start and
 * kept current by the projector. Queries read here; `reproduce` deliberately does not.
 *
 * It keeps what queries and commands filter and decide on, and leaves the large, rarely read
 * parts in the event store: signed documents, JWS, derivations, declarations and what a feed
 * entry says (`RecordedFacts` reads them back). Views are built field by field rather than
 * spread from events, and repeated strings (organization, part and footprint ids, purposes,
 * units) share one instance, so a million events fit in a few hundred megabytes.
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
  private readonly feeds = new Map<string, FeedEntry[]>();
  /** Keyed by the pinned version (a version can only pin versions recorded before it). */
  private readonly pinners = new Map<FootprintVersionView, FootprintVersionView[]>();
  private readonly words = new Map<string, string>();
  /** How many follow-up facts the domain refused (`reaction.parked`). */
  parkedReactions = 0;

  apply(stored: StoredEvent): void {
    if (stored.position <= this.position) return;
    const e = toDomainEvent(stored);
    if (!e) {
      this.position = stored.position;
      return;
    }
    this.applyDomainEvent(e, stored.position, stored.revision);
    const recipients = new Set(notificationsFor(e).map((n) => n.recipientOrgId));
    if (recipients.size > 0) {
      const entry: FeedEntry = { position: stored.position, previous: this.position };
      for (const recipient of recipients) push(this.feeds, this.orgId(recipient), entry);
    }
    this.position = stored.position;
  }

  private applyDomainEvent(e: DomainEvent, position: bigint, revision: number): void {
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
        this.parts.set(d.partId, {
          id: d.partId,
          ownerOrgId: this.orgId(d.ownerOrgId),
          partNumber: d.partNumber,
          name: d.name,
          declaredUnit: this.word(d.declaredUnit),
          bom: [],
          registeredAt: d.registeredAt,
          position,
        });
        return;
      }
      case 'part.bom-set': {
        const part = this.parts.get(e.data.partId);
        if (part)
          part.bom = e.data.inputs.map((line) => ({
            supplierOrgId: this.orgId(line.supplierOrgId),
            supplierPartId: this.partId(line.supplierPartId),
            quantity: line.quantity,
          }));
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
        const footprint = this.footprints.get(d.footprintId) ?? {
          id: d.footprintId,
          issuer: this.orgId(d.issuer),
          partId: this.partId(d.partId),
          versions: [],
          attestations: [],
        };
        const inputs =
          d.derivation.inputs.length === 0
            ? NO_INPUTS
            : d.derivation.inputs.map((input): VersionRef => ({ footprintId: this.footprintId(input.footprintId), version: input.version }));
        const version: FootprintVersionView = {
          footprintId: footprint.id,
          version: d.version,
          issuer: footprint.issuer,
          partId: footprint.partId,
          payloadSha256: d.payloadSha256,
          total: d.document.total,
          inputs,
          receivedAt: d.receivedAt,
          position,
          revision,
        };
        if (d.document.validUntil !== undefined) version.validUntil = d.document.validUntil;
        footprint.versions = appended(footprint.versions, version);
        this.footprints.set(footprint.id, footprint);
        for (const input of inputs) {
          const pinned = this.footprintVersion(input.footprintId, input.version);
          if (pinned) push(this.pinners, pinned, version);
        }
        return;
      }
      case 'footprint.input-superseded':
        return;
      case 'attestation.created': {
        const d = e.data;
        const footprint = this.footprints.get(d.footprintId);
        if (footprint)
          footprint.attestations = appended(footprint.attestations, {
            attestationId: d.attestationId,
            footprintId: footprint.id,
            version: d.version,
            issuer: this.orgId(d.issuer),
            result: d.result,
            payloadSha256: d.payloadSha256,
            validUntil: d.document.validUntil,
            receivedAt: d.receivedAt,
            position,
            revision,
          });
        return;
      }
      case 'dd-report.submitted': {
        const d = e.data;
        const report = this.ddReports.get(d.ddReportId) ?? {
          id: d.ddReportId,
          issuer: this.orgId(d.issuer),
          partId: this.partId(d.partId),
          versions: [],
        };
        const inputs = d.document.inputs.map((input) => ({
          ddReportId: this.ddReports.get(input.ddReportId)?.id ?? input.ddReportId,
          version: input.version,
        }));
        report.versions = appended(report.versions, {
          ddReportId: report.id,
          version: d.version,
          issuer: report.issuer,
          partId: report.partId,
          payloadSha256: d.payloadSha256,
          inputs,
          receivedAt: d.receivedAt,
          position,
          revision,
        });
        this.ddReports.set(report.id, report);
        return;
      }
      case 'grant.created': {
        const d = e.data;
        const resource = this.sharedResource(d.resource);
        const grant: GrantRecord = {
          grantId: d.grantId,
          ownerOrgId: this.orgId(d.ownerOrgId),
          resource,
          granteeOrgId: this.orgId(d.granteeOrgId),
          purpose: this.word(d.purpose),
          scope: this.word(d.scope),
          createdAt: d.createdAt,
          position,
        };
        if (d.expiresAt !== undefined) grant.expiresAt = d.expiresAt;
        this.grants.set(grant.grantId, grant);
        push(this.grantsByResource, resource.id, grant);
        return;
      }
      case 'grant.revoked': {
        const grant = this.grants.get(e.data.grantId);
        if (grant) grant.revokedAt = e.data.revokedAt;
        return;
      }
      case 'protected-data.read':
        this.recordRead(e.data, position);
        return;
      case 'protected-data.bulk-read':
        for (const read of singleReadsOf(e.data)) this.recordRead(read, position);
        return;
      case 'protected-data.read-refused': {
        const { resource, at } = e.data;
        push(this.auditByResource, resource.id, {
          position,
          ownerOrgId: this.orgId(e.data.ownerOrgId),
          resourceType: this.word(resource.type),
          outcome: 'refused',
          readerOrgId: this.orgId(e.data.readerOrgId),
          reason: this.word(e.data.reason),
          what: this.word(e.data.what),
          readAt: at,
        });
        return;
      }
      case 'reaction.parked':
        this.parkedReactions++;
        return;
      case 'submission.received': {
        const d = e.data;
        this.submissions.set(d.submissionId, {
          id: d.submissionId,
          issuer: this.orgId(d.issuer),
          regulatorOrgId: this.orgId(d.regulatorOrgId),
          payloadSha256: d.payloadSha256,
          receivedAt: d.receivedAt,
          position,
          revision,
          status: 'received',
        });
        return;
      }
      case 'submission.acknowledged': {
        const submission = this.submissions.get(e.data.submissionId);
        if (submission) {
          submission.status = 'acknowledged';
          submission.acknowledgedRevision = revision;
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

  /** The events an organization is told about, oldest first (`RecordedFacts.feedEvents` reads them). */
  feedOf(orgId: string): readonly FeedEntry[] {
    return this.feeds.get(orgId) ?? [];
  }

  footprintVersion(footprintId: string, version?: number): FootprintVersionView | undefined {
    const footprint = this.footprints.get(footprintId);
    if (!footprint) return undefined;
    return version === undefined ? footprint.versions[footprint.versions.length - 1] : footprint.versions.find((v) => v.version === version);
  }

  /** Footprint versions whose derivation pins the given version. */
  pinnersOf(footprintId: string, version: number): readonly VersionRef[] {
    const pinned = this.footprintVersion(footprintId, version);
    return (pinned && this.pinners.get(pinned)) ?? [];
  }

  /** Every footprint id reachable through pinned inputs from a version (not including itself). */
  upstreamFootprintIds(footprintId: string, version: number): Set<string> {
    const seen = new Set<string>();
    const walk = (id: string, v: number) => {
      for (const input of this.footprintVersion(id, v)?.inputs ?? []) {
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
      for (const input of report?.inputs ?? []) {
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

  /** A read made under a grant, in the resource's audit trail. */
  private recordRead(d: ProtectedDataRead, position: bigint): void {
    const { resource, grantId, readAt } = d;
    push(this.auditByResource, resource.id, {
      position,
      ownerOrgId: this.orgId(d.ownerOrgId),
      resourceType: this.word(resource.type),
      outcome: 'read',
      readerOrgId: this.orgId(d.readerOrgId),
      grantId,
      purpose: this.word(d.purpose),
      scope: this.word(d.scope),
      what: this.word(d.what),
      readAt,
    });
  }

  /** The one instance of an organization id the model holds (ids repeat in every view). */
  private orgId(id: string): string {
    return this.organizations.get(id)?.id ?? id;
  }

  private partId(id: string): string {
    return this.parts.get(id)?.id ?? id;
  }

  private footprintId(id: string): string {
    return this.footprints.get(id)?.id ?? id;
  }

  /** One instance of each of the few values that repeat across views (types, purposes, units). */
  private word<T extends string>(value: T): T {
    const known = this.words.get(value);
    if (known !== undefined) return known as T;
    this.words.set(value, value);
    return value;
  }

  /** The resource object an earlier grant on it holds, or a new one with shared strings. */
  private sharedResource(resource: { type: ResourceType; id: string }): { type: ResourceType; id: string } {
    const earlier = this.grantsOn(resource)[0]?.resource;
    if (earlier) return earlier;
    const owned =
      resource.type === 'footprint'
        ? this.footprints.get(resource.id)
        : resource.type === 'dd-report'
          ? this.ddReports.get(resource.id)
          : this.submissions.get(resource.id);
    return { type: this.word(resource.type), id: owned?.id ?? resource.id };
  }
}

const NO_INPUTS: readonly VersionRef[] = Object.freeze([]);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) map.set(key, appended(list, value));
  else map.set(key, [value]);
}

const SHORT_LIST = 16;

/**
 * The list with the value appended. Most lists here stay short (a resource's grants, a footprint's
 * versions), and a push grows a short array to 17 slots; copying keeps it at its exact length.
 */
function appended<V>(list: V[], value: V): V[] {
  if (list.length >= SHORT_LIST) {
    list.push(value);
    return list;
  }
  return list.concat([value]);
}
