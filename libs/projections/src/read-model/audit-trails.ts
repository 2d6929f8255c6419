import type { DomainEvent, ProtectedDataRead } from '@exchange/domain';
import type { AuditEntry } from '../views';
import { singleReadsOf } from '../bulk-read';
import type { Organizations } from './organizations';
import { NO_ITEMS, push, type AppliedAt, type Projection, type SharedWords } from './shared';

/** Each resource's audit trail: the reads made under grants and the refusals recorded in the store. */
export class AuditTrails implements Projection {
  readonly handles = ['protected-data.read', 'protected-data.bulk-read', 'protected-data.read-refused'] as const;
  private readonly byResourceId = new Map<string, readonly AuditEntry[]>();

  constructor(
    private readonly organizations: Organizations,
    private readonly words: SharedWords,
  ) {}

  /** The audit trail of one owner's resources with this id (of whichever type), oldest first. */
  of(resourceId: string, ownerOrgId: string): AuditEntry[] {
    return (this.byResourceId.get(resourceId) ?? NO_ITEMS).filter((entry) => entry.ownerOrgId === ownerOrgId);
  }

  apply(e: DomainEvent, { position }: AppliedAt): void {
    switch (e.type) {
      case 'protected-data.read':
        this.recordRead(e.data, position);
        return;
      case 'protected-data.bulk-read':
        for (const read of singleReadsOf(e.data)) this.recordRead(read, position);
        return;
      case 'protected-data.read-refused': {
        const { resource, at } = e.data;
        push(this.byResourceId, resource.id, {
          position,
          ownerOrgId: this.organizations.sharedId(e.data.ownerOrgId),
          resourceType: this.words.word(resource.type),
          outcome: 'refused',
          readerOrgId: this.organizations.sharedId(e.data.readerOrgId),
          reason: this.words.word(e.data.reason),
          what: this.words.word(e.data.what),
          readAt: at,
        });
        return;
      }
    }
  }

  private recordRead(d: ProtectedDataRead, position: bigint): void {
    const { resource, grantId, readAt } = d;
    push(this.byResourceId, resource.id, {
      position,
      ownerOrgId: this.organizations.sharedId(d.ownerOrgId),
      resourceType: this.words.word(resource.type),
      outcome: 'read',
      readerOrgId: this.organizations.sharedId(d.readerOrgId),
      grantId,
      purpose: this.words.word(d.purpose),
      scope: this.words.word(d.scope),
      what: this.words.word(d.what),
      readAt,
    });
  }
}
