import { cursorAfter, paginate, type PageQuery } from '../../http/pagination';
import type { FeedEntry, FeedEvent } from '@exchange/projections';

export interface FeedPage {
  items: FeedEvent[];
  next: string;
}

/**
 * The entries of one page of an organization's feed, oldest first. Unlike other lists, `next` is
 * always there: after the last entry returned, or the `after` asked with when nothing is new, so
 * that a client can keep polling with it.
 */
export function feedPage(feed: readonly FeedEntry[], query: PageQuery): { entries: FeedEntry[]; next: string } {
  const page = paginate(feed, (entry) => entry.position, query);
  const last = page.items[page.items.length - 1];
  const next = last !== undefined ? cursorAfter(last.position) : (query.after ?? cursorAfter(0n));
  return { entries: page.items, next };
}
