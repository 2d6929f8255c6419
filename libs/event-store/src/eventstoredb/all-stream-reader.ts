import { BACKWARDS, END, FORWARDS, START } from '@eventstore/db-client';
import type { AllStreamRecordedEvent, Direction, ReadPosition } from '@eventstore/db-client';
import { StoredEvent } from '../event-store.port';
import { collect, EsdbClient } from './esdb-client';
import { isApplicationEvent, toStoredEvent } from './event-mapping';
import { isUnavailable } from './eventstoredb-errors';
import { positionFromCommit } from './positions';

const PAGE_SIZE = 256;

interface Page {
  events: AllStreamRecordedEvent[];
  /** The server had fewer than a page left in that direction. */
  isLast: boolean;
}

/**
 * Reads $all as the port shows it: application events only (no system or checkpoint events),
 * strictly after a position. Filtering happens here (the client cannot filter $all reads), so
 * reads go on page by page until enough application events are found or the log ends.
 */
export class AllStreamReader {
  constructor(private readonly client: EsdbClient) {}

  async readAfter(after: bigint, maxCount = Number.POSITIVE_INFINITY): Promise<StoredEvent[]> {
    const found: StoredEvent[] = [];
    if (maxCount === 0) return found;
    let seenUpTo = after;
    let page = await this.firstPageAfter(after);
    for (;;) {
      for (const recorded of page.events) {
        // A forward read starts at (includes) the event at its position, so pages overlap by one.
        if (recorded.position.commit <= seenUpTo) continue;
        seenUpTo = recorded.position.commit;
        if (isApplicationEvent(recorded)) found.push(toStoredEvent(recorded));
        if (found.length === maxCount) return found;
      }
      const last = page.events[page.events.length - 1];
      if (page.isLast || !last) return found;
      page = await this.page(last.position, FORWARDS);
    }
  }

  /** Position of the last application event (0n when there is none). */
  async lastApplicationPosition(): Promise<bigint> {
    const last = await this.findBackwards(isApplicationEvent);
    return last?.position.commit ?? 0n;
  }

  /**
   * The server can only start a read where an event starts. `after` usually is such a position
   * (a checkpoint, a head, an event's position); when it is not (e.g. `position - 1n`), the
   * server errors or finds nothing, so the read starts at the last event at or before it.
   */
  private async firstPageAfter(after: bigint): Promise<Page> {
    if (after <= 0n) return this.page(START, FORWARDS);
    const atAfter = await this.page(positionFromCommit(after), FORWARDS).catch(rethrowIfUnavailable);
    if (atAfter?.events[0]?.position.commit === after) return atAfter;
    const atOrBefore = await this.findBackwards((recorded) => recorded.position.commit <= after);
    return this.page(atOrBefore?.position ?? START, FORWARDS);
  }

  private async findBackwards(matches: (recorded: AllStreamRecordedEvent) => boolean): Promise<AllStreamRecordedEvent | undefined> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.page(from, BACKWARDS);
      const found = page.events.find(matches);
      const last = page.events[page.events.length - 1];
      if (found || page.isLast || !last) return found;
      from = last.position;
    }
  }

  private async page(from: ReadPosition, direction: Direction): Promise<Page> {
    const resolved = await collect(this.client.readAll({ fromPosition: from, direction, maxCount: PAGE_SIZE }));
    const events = resolved.flatMap((entry) => (entry.event ? [entry.event] : []));
    return { events, isLast: resolved.length < PAGE_SIZE };
  }
}

function rethrowIfUnavailable(error: unknown): undefined {
  if (isUnavailable(error)) throw error;
  return undefined;
}
