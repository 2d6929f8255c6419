import type { DomainEvent } from '@exchange/domain';
import type { Projection } from './shared';

/** How many follow-up facts the domain refused (`reaction.parked`), for `/health/ready`. */
export class ParkedReactions implements Projection {
  readonly handles = ['reaction.parked'] as const;
  private parked = 0;

  get count(): number {
    return this.parked;
  }

  apply(e: DomainEvent): void {
    if (e.type === 'reaction.parked') this.parked++;
  }
}
