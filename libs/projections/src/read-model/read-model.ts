import { Injectable } from '@nestjs/common';
import { toDomainEvent, type EventType } from '@exchange/domain';
import type { StoredEvent } from '@exchange/event-store';
import { AuditTrails } from './audit-trails';
import { DdReports } from './dd-reports';
import { Feeds } from './feeds';
import { Footprints } from './footprints';
import { Grants } from './grants';
import { Organizations } from './organizations';
import { ParkedReactions } from './parked-reactions';
import { Parts } from './parts';
import { Requests } from './requests';
import { SharedWords, type Projection } from './shared';
import { Submissions } from './submissions';

/**
 * The in-memory read side: a fold of every committed event, rebuilt from the store at start and
 * kept current by the projector, made of one small view per question queries ask. Queries read
 * here; `reproduce` deliberately does not.
 *
 * It keeps what queries and commands filter and decide on, and leaves the large, rarely read
 * parts in the event store: signed documents, JWS, derivations, declarations and what a feed
 * entry says (`RecordedFacts` reads them back). Views are built field by field rather than
 * spread from events, and repeated strings (organization, part and footprint ids, purposes,
 * units) share one instance, so a million events fit in a few hundred megabytes.
 */
@Injectable()
export class ReadModel {
  private readonly words = new SharedWords();
  readonly organizations = new Organizations();
  readonly parts = new Parts(this.organizations, this.words);
  readonly requests = new Requests();
  readonly footprints = new Footprints(this.organizations, this.parts);
  readonly ddReports = new DdReports(this.organizations, this.parts);
  readonly submissions = new Submissions(this.organizations);
  readonly grants = new Grants(this.organizations, this.words, (resource) => this.sharedResourceId(resource));
  readonly audit = new AuditTrails(this.organizations, this.words);
  readonly feeds = new Feeds(this.organizations);
  readonly parkedReactions = new ParkedReactions();
  private readonly projectionsOf = routes([
    this.organizations,
    this.parts,
    this.requests,
    this.footprints,
    this.ddReports,
    this.submissions,
    this.grants,
    this.audit,
    this.parkedReactions,
  ]);
  private applied = 0n;

  /** The global position of the last event applied. */
  get position(): bigint {
    return this.applied;
  }

  apply(stored: StoredEvent): void {
    if (stored.position <= this.applied) return;
    const e = toDomainEvent(stored);
    if (e) {
      for (const projection of this.projectionsOf.get(e.type) ?? []) projection.apply(e, stored);
      this.feeds.apply(e, stored.position, this.applied);
    }
    this.applied = stored.position;
  }

  private sharedResourceId(resource: { type: string; id: string }): string {
    if (resource.type === 'footprint') return this.footprints.sharedId(resource.id);
    if (resource.type === 'dd-report') return this.ddReports.sharedId(resource.id);
    return this.submissions.sharedId(resource.id);
  }
}

function routes(projections: readonly Projection[]): Map<EventType, Projection[]> {
  const byType = new Map<EventType, Projection[]>();
  for (const projection of projections) for (const type of projection.handles) byType.set(type, [...(byType.get(type) ?? []), projection]);
  return byType;
}
