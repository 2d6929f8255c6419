import { Injectable } from '@nestjs/common';
import { streams, toDomainEvent, type ReactionParked } from '@exchange/domain';
import { EventStore } from '@exchange/event-store';

export interface ParkedReactionView extends ReactionParked {
  /** The `reaction.parked` event's id and global position. */
  id: string;
  position: string;
}

/** The follow-up facts the domain refused, oldest first, as recorded in their own stream. */
@Injectable()
export class ParkedReactionsQuery {
  constructor(private readonly store: EventStore) {}

  async all(): Promise<{ items: ParkedReactionView[] }> {
    const recorded = await this.store.readStream(streams.parkedReactions());
    const items = recorded.flatMap((stored) => {
      const e = toDomainEvent(stored);
      return e?.type === 'reaction.parked' ? [{ id: stored.id, position: String(stored.position), ...e.data }] : [];
    });
    return { items };
  }
}
