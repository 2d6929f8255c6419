import { event, type DomainEvent } from '@exchange/domain';
import type { StoredEvent } from '@exchange/event-store';
import { ReadModel } from './read-model';

let position = 0n;
const stored = (e: DomainEvent): StoredEvent => ({
  id: crypto.randomUUID(),
  streamId: 'audit',
  revision: 0,
  position: ++position,
  recordedAt: '2026-06-01T00:00:00.000Z',
  metadata: {},
  type: e.type,
  data: e.data,
});

const AT = '2026-06-01T10:00:00.000Z';
const reads = [
  { resource: { type: 'footprint' as const, id: 'fp-1' }, grantId: 'g-1', purpose: 'verification' as const, scope: 'derivation' as const },
  { resource: { type: 'footprint' as const, id: 'fp-2' }, grantId: 'g-2', purpose: 'downstream-aggregation' as const, scope: 'derivation' as const },
  { resource: { type: 'dd-report' as const, id: 'dd-1' }, grantId: 'g-3', purpose: 'verification' as const, scope: 'document' as const },
];

describe('the read model: protected-data.bulk-read', () => {
  it('leaves in each audit trail exactly what one protected-data.read per item leaves, at the event’s position', () => {
    const singly = new ReadModel();
    const together = new ReadModel();
    for (const read of reads) {
      singly.apply(
        stored(event('protected-data.read', { ...read, ownerOrgId: 'owner', readerOrgId: 'certifier', what: 'derivation (reproduce)', readAt: AT })),
      );
    }
    const bulk = stored(
      event('protected-data.bulk-read', { ownerOrgId: 'owner', readerOrgId: 'certifier', what: 'derivation (reproduce)', readAt: AT, reads }),
    );
    together.apply(bulk);

    for (const id of ['fp-1', 'fp-2', 'dd-1']) {
      const [single] = singly.audit.of(id, 'owner');
      const [entry] = together.audit.of(id, 'owner');
      expect({ ...entry, position: 0n }).toEqual({ ...single, position: 0n });
      expect(entry!.position).toBe(bulk.position);
    }
    expect(together.audit.of('fp-1', 'somebody-else')).toEqual([]);
    expect(together.feeds.of('owner')).toEqual([]);
    expect(together.feeds.of('certifier')).toEqual([]);
  });
});
