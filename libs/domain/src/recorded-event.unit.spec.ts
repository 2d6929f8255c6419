import { event, type GrantCreated } from './events';
import { toDomainEvent, type Upcasters } from './recorded-event';

describe('toDomainEvent', () => {
  const grant: GrantCreated = {
    grantId: 'g-1',
    ownerOrgId: 'org-a',
    resource: { type: 'footprint', id: 'fp-1' },
    granteeOrgId: 'org-b',
    purpose: 'verification',
    scope: 'document',
    origin: { kind: 'owner' },
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it('gives a catalogued event its type and recorded data unchanged', () => {
    expect(toDomainEvent({ type: 'grant.created', data: grant })).toEqual(event('grant.created', grant));
  });

  it('passes over a type outside the catalogue', () => {
    expect(toDomainEvent({ type: 'grant.renamed-in-a-later-release', data: {} })).toBeUndefined();
  });

  it('runs the upcaster of the event type, and only of that type', () => {
    const upcasters: Upcasters = { 'grant.created': (old) => ({ ...(old as GrantCreated), granteeOrgId: 'org-upcast' }) };
    expect(toDomainEvent({ type: 'grant.created', data: grant }, upcasters)?.data).toMatchObject({ granteeOrgId: 'org-upcast' });
    expect(toDomainEvent({ type: 'grant.revoked', data: { grantId: 'g-1' } }, upcasters)?.data).toEqual({ grantId: 'g-1' });
  });
});
