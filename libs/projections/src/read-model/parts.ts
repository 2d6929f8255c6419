import type { DomainEvent } from '@exchange/domain';
import type { PartView } from '../views';
import type { Organizations } from './organizations';
import type { AppliedAt, Mutable, Projection, SharedWords } from './shared';

export class Parts implements Projection {
  readonly handles = ['part.registered', 'part.bom-set'] as const;
  private readonly byId = new Map<string, Mutable<PartView>>();

  constructor(
    private readonly organizations: Organizations,
    private readonly words: SharedWords,
  ) {}

  get(id: string): PartView | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<PartView> {
    return this.byId.values();
  }

  sharedId(id: string): string {
    return this.byId.get(id)?.id ?? id;
  }

  /** Part ids reachable from a part through bills of material (not including itself). */
  reachableFrom(partId: string): Set<string> {
    const seen = new Set<string>();
    const walk = (id: string) => {
      for (const line of this.byId.get(id)?.bom ?? []) {
        if (seen.has(line.supplierPartId)) continue;
        seen.add(line.supplierPartId);
        walk(line.supplierPartId);
      }
    };
    walk(partId);
    return seen;
  }

  apply(e: DomainEvent, { position }: AppliedAt): void {
    switch (e.type) {
      case 'part.registered': {
        const d = e.data;
        this.byId.set(d.partId, {
          id: d.partId,
          ownerOrgId: this.organizations.sharedId(d.ownerOrgId),
          partNumber: d.partNumber,
          name: d.name,
          declaredUnit: this.words.word(d.declaredUnit),
          bom: [],
          registeredAt: d.registeredAt,
          position,
        });
        return;
      }
      case 'part.bom-set': {
        const part = this.byId.get(e.data.partId);
        if (part)
          part.bom = e.data.inputs.map((line) => ({
            supplierOrgId: this.organizations.sharedId(line.supplierOrgId),
            supplierPartId: this.sharedId(line.supplierPartId),
            quantity: line.quantity,
          }));
        return;
      }
    }
  }
}
