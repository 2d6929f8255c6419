import { Injectable } from '@nestjs/common';
import type { ProtectedDataReadRefused } from '@exchange/domain';
import type { StoredEvent } from '@exchange/event-store';
import type { AuditEntry } from './views';

/**
 * The refused attempts to read each resource, folded from the refusal log: a log of its own, apart
 * from the event store, whose positions nobody but the owner's audit trail ever shows. A refusal
 * recorded in the event store would move the global position, which every caller sees (in
 * `/health`, in the receipt of its own next write), and so tell a stranger that the thing it asked
 * for exists.
 */
@Injectable()
export class RefusalTrail {
  position = 0n;
  private readonly byResource = new Map<string, AuditEntry[]>();

  apply(stored: StoredEvent): void {
    if (stored.position <= this.position || stored.type !== 'protected-data.read-refused') return;
    const d = stored.data as ProtectedDataReadRefused;
    const entry: AuditEntry = {
      position: stored.position,
      log: 'refusals',
      ownerOrgId: d.ownerOrgId,
      resourceType: d.resource.type,
      outcome: 'refused',
      readerOrgId: d.readerOrgId,
      reason: d.reason,
      what: d.what,
      readAt: d.at,
    };
    const entries = this.byResource.get(d.resource.id);
    if (entries) entries.push(entry);
    else this.byResource.set(d.resource.id, [entry]);
    this.position = stored.position;
  }

  /** The refusals of one owner's resources with this id (of whichever type), oldest first. */
  of(resourceId: string, ownerOrgId: string): AuditEntry[] {
    return (this.byResource.get(resourceId) ?? []).filter((entry) => entry.ownerOrgId === ownerOrgId);
  }
}

/**
 * Where an entry stands in the merged audit trail: by the time it was recorded, then by log and
 * position (the two logs' positions are not comparable; the time is, and is the trail's order).
 */
export const auditOrderKey = (entry: AuditEntry) =>
  `${entry.readAt}|${entry.log === 'refusals' ? 'r' : 'e'}|${entry.position.toString().padStart(20, '0')}`;

/** Reads from the event store and refusals from the refusal log, as one trail in time order. */
export function mergedAuditTrail(reads: readonly AuditEntry[], refusals: readonly AuditEntry[]): AuditEntry[] {
  const keyed = [...reads, ...refusals].map((entry) => ({ entry, key: auditOrderKey(entry) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ entry }) => entry);
}
