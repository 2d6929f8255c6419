import type { DomainEvent } from '@exchange/domain';
import { applyKeySet } from '@exchange/signing';
import type { OrganizationView } from '../views';
import type { Mutable, Projection } from './shared';

export class Organizations implements Projection {
  readonly handles = ['organization.registered', 'organization.keys-rotated'] as const;
  private readonly byId = new Map<string, Mutable<OrganizationView>>();

  get(id: string): OrganizationView | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The one instance of an organization id the model holds (ids repeat in every view). */
  sharedId(id: string): string {
    return this.byId.get(id)?.id ?? id;
  }

  apply(e: DomainEvent): void {
    switch (e.type) {
      case 'organization.registered': {
        const d = e.data;
        this.byId.set(d.organizationId, {
          id: d.organizationId,
          name: d.name,
          roles: d.roles,
          clientId: d.clientId,
          clientSecretSha256: d.clientSecretSha256,
          keys: applyKeySet([], d.jwks, d.registeredAt),
          registeredAt: d.registeredAt,
        });
        return;
      }
      case 'organization.keys-rotated': {
        const org = this.byId.get(e.data.organizationId);
        if (org) org.keys = applyKeySet(org.keys, e.data.jwks, e.data.rotatedAt);
        return;
      }
    }
  }
}
