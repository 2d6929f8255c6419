import type { ProtectedDataBulkRead } from '@exchange/domain';
import type { AuditEntry } from './views';

/**
 * The audit entries a `protected-data.bulk-read` stands for: one per item, each exactly what a
 * `protected-data.read` of that resource, by the same reader, with the same `what` and `readAt`,
 * would have left, at the event's position (a resource appears at most once per event, so an
 * entry's position still names it within the resource's trail).
 */
export function bulkReadEntries(data: ProtectedDataBulkRead, position: bigint): { resourceId: string; entry: AuditEntry }[] {
  const { ownerOrgId, readerOrgId, what, readAt } = data;
  return data.reads.map(({ resource, grantId, purpose, scope }) => ({
    resourceId: resource.id,
    entry: { position, ownerOrgId, resourceType: resource.type, outcome: 'read', readerOrgId, grantId, purpose, scope, what, readAt },
  }));
}
