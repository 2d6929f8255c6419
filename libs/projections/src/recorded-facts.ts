import { Injectable } from '@nestjs/common';
import { notificationsFor } from '@exchange/access';
import { streams, toDomainEvent, type EventCatalogue, type EventType } from '@exchange/domain';
import { EventStore, type StoredEvent } from '@exchange/event-store';
import type { AttestationView, DdReportVersionView, FeedEntry, FootprintVersionView, SubmissionView } from './views';

/** One event of an organization's feed, as that organization is shown it. */
export interface FeedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * Reads back from the event store what the read model leaves out of its views: signed documents,
 * their JWS, derivations, declarations, acknowledgements and what a feed entry says. Recorded
 * events never change, so what comes back is exactly what the view was built from.
 */
@Injectable()
export class RecordedFacts {
  constructor(private readonly store: EventStore) {}

  footprintVersion(v: FootprintVersionView): Promise<EventCatalogue['footprint.submitted']> {
    return this.dataOf('footprint.submitted', streams.footprint(v.footprintId), v.revision);
  }

  attestation(a: AttestationView): Promise<EventCatalogue['attestation.created']> {
    return this.dataOf('attestation.created', streams.footprint(a.footprintId), a.revision);
  }

  ddReportVersion(v: DdReportVersionView): Promise<EventCatalogue['dd-report.submitted']> {
    return this.dataOf('dd-report.submitted', streams.ddReport(v.ddReportId), v.revision);
  }

  submission(s: SubmissionView): Promise<EventCatalogue['submission.received']> {
    return this.dataOf('submission.received', streams.submission(s.id), s.revision);
  }

  async acknowledgement(s: SubmissionView): Promise<EventCatalogue['submission.acknowledged'] | undefined> {
    return s.acknowledgedRevision === undefined
      ? undefined
      : this.dataOf('submission.acknowledged', streams.submission(s.id), s.acknowledgedRevision);
  }

  /** What an organization is shown of the events of its feed entries, in their order. */
  async feedEvents(orgId: string, entries: readonly FeedEntry[]): Promise<FeedEvent[]> {
    const items: FeedEvent[] = [];
    for (const run of consecutiveRuns(entries)) {
      const events = await this.store.readAll({ after: run[0]!.previous, maxCount: run.length });
      run.forEach((entry, i) => {
        const stored = events[i];
        if (stored?.position !== entry.position)
          throw new Error(`the event store holds no event at position ${entry.position}, where the read model saw one`);
        items.push(...feedEventsFor(orgId, stored));
      });
    }
    return items;
  }

  private async dataOf<T extends EventType>(type: T, streamId: string, revision: number): Promise<EventCatalogue[T]> {
    const [stored] = await this.store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (stored?.type !== type) throw new Error(`${streamId} holds no ${type} at revision ${revision}, where the read model saw one`);
    return stored.data as EventCatalogue[T];
  }
}

/** What one organization is shown of a recorded event (`notificationsFor`), as feed events. */
export function feedEventsFor(orgId: string, stored: StoredEvent): FeedEvent[] {
  const e = toDomainEvent(stored);
  const notifications = (e ? notificationsFor(e) : []).filter((n) => n.recipientOrgId === orgId);
  return notifications.map((n) => ({ id: stored.id, type: n.type, occurredAt: stored.recordedAt, data: n.data }));
}

/** Splits entries into runs of events that follow each other in the global order (each run is one read). */
export function consecutiveRuns(entries: readonly FeedEntry[]): FeedEntry[][] {
  const runs: FeedEntry[][] = [];
  for (const entry of entries) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1]!.position === entry.previous) run.push(entry);
    else runs.push([entry]);
  }
  return runs;
}
