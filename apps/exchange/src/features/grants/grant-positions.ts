import { Injectable } from '@nestjs/common';
import { streams } from '@exchange/domain';
import { EventStore } from '@exchange/event-store';
import type { GrantView } from '../../read-model/views';

export interface PositionedGrant {
  grant: GrantView;
  position: bigint;
}

/**
 * The ordering key of grant lists: the global position of each grant's `grant.created` event
 * (the first event of its stream). The read model's GrantView does not carry it yet; a committed
 * event's position never changes, so each one is looked up once and remembered.
 */
@Injectable()
export class GrantPositions {
  private readonly known = new Map<string, bigint>();

  constructor(private readonly store: EventStore) {}

  /** The grants with their positions, oldest first. */
  async inOrder(grants: readonly GrantView[]): Promise<PositionedGrant[]> {
    const positioned = await Promise.all(grants.map(async (grant) => ({ grant, position: await this.positionOf(grant.grantId) })));
    return positioned.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  private async positionOf(grantId: string): Promise<bigint> {
    const remembered = this.known.get(grantId);
    if (remembered !== undefined) return remembered;
    const [created] = await this.store.readStream(streams.grant(grantId), { maxCount: 1 });
    if (!created) throw new Error(`the read model knows grant ${grantId}, the event store does not`);
    this.known.set(grantId, created.position);
    return created.position;
  }
}
