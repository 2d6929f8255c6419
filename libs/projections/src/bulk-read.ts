import type { ProtectedDataBulkRead, ProtectedDataRead } from '@exchange/domain';

/**
 * The single reads a `protected-data.bulk-read` stands for: one per item, each what a
 * `protected-data.read` of that resource, by the same reader, with the same `what` and `readAt`,
 * records (a resource appears at most once per event, so the event's position still names each
 * entry within the resource's trail).
 */
export function singleReadsOf(data: ProtectedDataBulkRead): ProtectedDataRead[] {
  const { ownerOrgId, readerOrgId, what, readAt } = data;
  return data.reads.map(({ resource, grantId, purpose, scope }) => ({ resource, ownerOrgId, readerOrgId, grantId, purpose, scope, what, readAt }));
}
