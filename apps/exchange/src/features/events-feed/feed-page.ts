import { cursorAfter, paginate, type PageQuery } from '../../http/pagination';
import type { FeedItem } from '@exchange/projections';

export interface FeedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface FeedPage {
  items: FeedEvent[];
  next: string;
}

const render = ({ position: _position, ...item }: FeedItem): FeedEvent => item;

/**
 * One page of an organization's feed, oldest first. Unlike other lists, `next` is always there:
 * after the last item returned, or the `after` asked with when nothing is new, so that a client
 * can keep polling with it.
 */
export function feedPage(feed: readonly FeedItem[], query: PageQuery): FeedPage {
  const page = paginate(feed, (item) => item.position, query);
  const last = page.items[page.items.length - 1];
  const next = last !== undefined ? cursorAfter(last.position) : (query.after ?? cursorAfter(0n));
  return { items: page.items.map(render), next };
}
