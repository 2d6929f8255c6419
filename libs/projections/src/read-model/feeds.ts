import type { DomainEvent } from '@exchange/domain';
import { notificationsFor } from '@exchange/access';
import type { FeedEntry } from '../views';
import type { Organizations } from './organizations';
import { NO_ITEMS, push } from './shared';

/** What each organization is told about (`notificationsFor`), by where each event stands. */
export class Feeds {
  private readonly byOrgId = new Map<string, readonly FeedEntry[]>();

  constructor(private readonly organizations: Organizations) {}

  /** The events an organization is told about, oldest first (`RecordedFacts.feedEvents` reads them). */
  of(orgId: string): readonly FeedEntry[] {
    return this.byOrgId.get(orgId) ?? NO_ITEMS;
  }

  apply(e: DomainEvent, position: bigint, previous: bigint): void {
    const recipients = new Set(notificationsFor(e).map((n) => n.recipientOrgId));
    if (recipients.size === 0) return;
    const entry: FeedEntry = { position, previous };
    for (const recipient of recipients) push(this.byOrgId, this.organizations.sharedId(recipient), entry);
  }
}
