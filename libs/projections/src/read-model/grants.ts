import type { DomainEvent, ResourceType } from '@exchange/domain';
import type { GrantRecord } from '../views';
import type { Organizations } from './organizations';
import { NO_ITEMS, push, type AppliedAt, type Mutable, type Projection, type SharedWords } from './shared';

type Resource = { type: ResourceType; id: string };

export class Grants implements Projection {
  readonly handles = ['grant.created', 'grant.revoked'] as const;
  private readonly byId = new Map<string, Mutable<GrantRecord>>();
  private readonly byResourceId = new Map<string, readonly GrantRecord[]>();

  /** `sharedResourceId` gives the one instance of a resource's id that its own view holds. */
  constructor(
    private readonly organizations: Organizations,
    private readonly words: SharedWords,
    private readonly sharedResourceId: (resource: Resource) => string,
  ) {}

  get(grantId: string): GrantRecord | undefined {
    return this.byId.get(grantId);
  }

  all(): IterableIterator<GrantRecord> {
    return this.byId.values();
  }

  /** Grants on a resource (ids are chosen by issuers, so the type is part of the key). */
  on(resource: Resource): GrantRecord[] {
    return this.onId(resource.id).filter((g) => g.resource.type === resource.type);
  }

  /** Grants on resources with this id, of whichever type. */
  onId(resourceId: string): readonly GrantRecord[] {
    return this.byResourceId.get(resourceId) ?? NO_ITEMS;
  }

  apply(e: DomainEvent, { position }: AppliedAt): void {
    switch (e.type) {
      case 'grant.created': {
        const d = e.data;
        const resource = this.on(d.resource)[0]?.resource ?? { type: this.words.word(d.resource.type), id: this.sharedResourceId(d.resource) };
        const grant: Mutable<GrantRecord> = {
          grantId: d.grantId,
          ownerOrgId: this.organizations.sharedId(d.ownerOrgId),
          resource,
          granteeOrgId: this.organizations.sharedId(d.granteeOrgId),
          purpose: this.words.word(d.purpose),
          scope: this.words.word(d.scope),
          createdAt: d.createdAt,
          position,
        };
        if (d.expiresAt !== undefined) grant.expiresAt = d.expiresAt;
        this.byId.set(grant.grantId, grant);
        push(this.byResourceId, resource.id, grant);
        return;
      }
      case 'grant.revoked': {
        const grant = this.byId.get(e.data.grantId);
        if (grant) grant.revokedAt = e.data.revokedAt;
        return;
      }
    }
  }
}
