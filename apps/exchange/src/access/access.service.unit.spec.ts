import type { DomainEvent, ProtectedDataBulkRead } from '@exchange/domain';
import type { GrantView } from '@exchange/access';
import { AccessService, type RecordedRead } from './access.service';

const AT = '2026-06-01T10:00:00.000Z';

function serviceRecording() {
  const recorded: { streamId: string; events: DomainEvent[] }[] = [];
  const runner = { record: async (records: { streamId: string; events: DomainEvent[] }[]) => void recorded.push(...records) };
  const service = new AccessService({} as never, runner as never, {} as never, { now: () => AT } as never);
  return { service, recorded };
}

const grant = (id: string, ownerOrgId: string): GrantView => ({
  grantId: `g-${id}`,
  ownerOrgId,
  resource: { type: 'footprint', id },
  granteeOrgId: 'certifier',
  purpose: 'verification',
  scope: 'derivation',
  createdAt: AT,
});
const read = (id: string, ownerOrgId: string, what = 'derivation (reproduce)'): RecordedRead => ({
  resource: { type: 'footprint', id, ownerOrgId },
  decision: { allowed: true, via: 'grant', grant: grant(id, ownerOrgId) },
  what,
});

describe('AccessService.recordReads', () => {
  it('records the reads under grants as protected-data.bulk-read events: one stream per owner, one what, 256 reads at most and no resource twice per event', async () => {
    const { service, recorded } = serviceRecording();
    const many = Array.from({ length: 600 }, (_, i) => read(`fp-${i}`, 'owner-a'));
    const own = {
      resource: { type: 'footprint' as const, id: 'own', ownerOrgId: 'certifier' },
      decision: { allowed: true as const, via: 'owner' as const },
      what: 'reproduce',
    };
    const reads = [
      read('fp-0', 'owner-a', 'reproduce'),
      own,
      read('fp-x', 'owner-b'),
      ...many.slice(0, 10),
      read('fp-x', 'owner-b'),
      ...many.slice(10),
    ];

    await service.recordReads('certifier', reads);

    const events = recorded.flatMap((r) => r.events.map((e) => ({ streamId: r.streamId, type: e.type, ...(e.data as ProtectedDataBulkRead) })));
    expect(recorded.map((r) => [r.streamId, r.events.length])).toEqual([
      ['audit-reads-owner-a', 4],
      ['audit-reads-owner-b', 2],
    ]);
    expect(events.map((e) => [e.streamId, e.type, e.ownerOrgId, e.what, e.reads.length])).toEqual([
      ['audit-reads-owner-a', 'protected-data.bulk-read', 'owner-a', 'reproduce', 1],
      ['audit-reads-owner-a', 'protected-data.bulk-read', 'owner-a', 'derivation (reproduce)', 256],
      ['audit-reads-owner-a', 'protected-data.bulk-read', 'owner-a', 'derivation (reproduce)', 256],
      ['audit-reads-owner-a', 'protected-data.bulk-read', 'owner-a', 'derivation (reproduce)', 88],
      ['audit-reads-owner-b', 'protected-data.bulk-read', 'owner-b', 'derivation (reproduce)', 1],
      ['audit-reads-owner-b', 'protected-data.bulk-read', 'owner-b', 'derivation (reproduce)', 1],
    ]);
    expect(events.every((e) => e.readerOrgId === 'certifier' && e.readAt === AT)).toBe(true);
    expect(events.filter((e) => e.ownerOrgId === 'owner-a' && e.what !== 'reproduce').flatMap((e) => e.reads.map((r) => r.resource.id))).toEqual(
      many.map((r) => r.resource.id),
    );
    expect(events[1]!.reads[0]).toEqual({
      resource: { type: 'footprint', id: 'fp-0' },
      grantId: 'g-fp-0',
      purpose: 'verification',
      scope: 'derivation',
    });
  });

  it('keeps each append to 8 events, in order', async () => {
    const { service, recorded } = serviceRecording();
    await service.recordReads(
      'certifier',
      Array.from({ length: 256 * 9 + 1 }, (_, i) => read(`fp-${i}`, 'owner-a')),
    );
    expect(recorded.map((r) => [r.streamId, r.events.length])).toEqual([
      ['audit-reads-owner-a', 8],
      ['audit-reads-owner-a', 2],
    ]);
    const ids = recorded.flatMap((r) => r.events.flatMap((e) => (e.data as ProtectedDataBulkRead).reads.map((x) => x.resource.id)));
    expect(ids).toEqual(Array.from({ length: 256 * 9 + 1 }, (_, i) => `fp-${i}`));
  });

  it('records nothing when no read was made under a grant', async () => {
    const { service, recorded } = serviceRecording();
    await service.recordReads('owner', [
      { resource: { type: 'footprint', id: 'fp', ownerOrgId: 'owner' }, decision: { allowed: true, via: 'owner' }, what: 'reproduce' },
    ]);
    await service.recordReads('owner', []);
    expect(recorded.flatMap((r) => r.events)).toEqual([]);
  });
});
