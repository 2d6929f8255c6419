import { decideRead, type GrantView } from './access-policy';

const now = '2026-06-01T00:00:00.000Z';
const grant = (over: Partial<GrantView> = {}): GrantView => ({
  grantId: 'g1',
  ownerOrgId: 'owner',
  resource: { type: 'footprint', id: 'f1' },
  granteeOrgId: 'reader',
  purpose: 'downstream-aggregation',
  scope: 'document',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const read = (grants: GrantView[], need: Parameters<typeof decideRead>[0]['need'] = { scope: 'document' }, readerOrgId = 'reader') =>
  decideRead({ readerOrgId, ownerOrgId: 'owner', grants, need, now });

describe('decideRead', () => {
  it('lets the owner read without a grant', () => expect(read([], { scope: 'derivation' }, 'owner')).toEqual({ allowed: true, via: 'owner' }));
  it('refuses a stranger', () => expect(read([])).toEqual({ allowed: false, reason: 'no-grant' }));
  it('lets a grantee read within scope', () => expect(read([grant()])).toMatchObject({ allowed: true, via: 'grant' }));
  it('does not let a document grant read the derivation', () => expect(read([grant()], { scope: 'derivation' })).toEqual({ allowed: false, reason: 'insufficient-scope' }));
  it('lets a derivation grant read the document', () => expect(read([grant({ scope: 'derivation' })])).toMatchObject({ allowed: true }));
  it('refuses after revocation', () => expect(read([grant({ revokedAt: '2026-05-01T00:00:00.000Z' })])).toEqual({ allowed: false, reason: 'revoked' }));
  it('refuses after expiry, at the instant of expiry', () => expect(read([grant({ expiresAt: now })])).toEqual({ allowed: false, reason: 'expired' }));
  it('reads before expiry', () => expect(read([grant({ expiresAt: '2026-06-01T00:00:00.001Z' })])).toMatchObject({ allowed: true }));
  it('refuses a grant of the wrong purpose when a purpose is needed', () =>
    expect(read([grant()], { scope: 'document', purposes: ['verification'] })).toEqual({ allowed: false, reason: 'wrong-purpose' }));
  it('ignores grants to others', () => expect(read([grant({ granteeOrgId: 'someone-else' })])).toEqual({ allowed: false, reason: 'no-grant' }));
});

describe('decideRead: what only the owner sees, and recipients', () => {
  it('refuses what only the owner sees to a grantee of any scope, for insufficient scope', () =>
    expect(read([grant({ scope: 'derivation' })], { scope: 'owner' })).toEqual({ allowed: false, reason: 'insufficient-scope' }));
  it('still tells a stranger, a revoked and an expired grantee apart there', () => {
    expect(read([], { scope: 'owner' })).toEqual({ allowed: false, reason: 'no-grant' });
    expect(read([grant({ revokedAt: '2026-05-01T00:00:00.000Z' })], { scope: 'owner' })).toEqual({ allowed: false, reason: 'revoked' });
    expect(read([grant({ expiresAt: now })], { scope: 'owner' })).toEqual({ allowed: false, reason: 'expired' });
  });
  it('lets the owner see it', () => expect(read([], { scope: 'owner' }, 'owner')).toEqual({ allowed: true, via: 'owner' }));

  const asRecipient = (grants: GrantView[], need: Parameters<typeof decideRead>[0]['need'] = { scope: 'document' }, readerOrgId = 'reader') =>
    decideRead({ readerOrgId, ownerOrgId: 'owner', grants, need, now, recipients: ['reader'] });
  it('reads the document under a grant in force first, so that the read is audited', () =>
    expect(asRecipient([grant({ purpose: 'regulatory' })])).toMatchObject({ allowed: true, via: 'grant' }));
  it('lets a recipient read the document after its grant was revoked', () =>
    expect(asRecipient([grant({ revokedAt: '2026-05-01T00:00:00.000Z' })])).toEqual({ allowed: true, via: 'recipient' }));
  it('gives a recipient neither the derivation, nor what only the owner sees, nor a purpose', () => {
    expect(asRecipient([], { scope: 'derivation' })).toEqual({ allowed: false, reason: 'no-grant' });
    expect(asRecipient([], { scope: 'owner' })).toEqual({ allowed: false, reason: 'no-grant' });
    expect(asRecipient([], { scope: 'document', purposes: ['verification'] })).toEqual({ allowed: false, reason: 'no-grant' });
  });
  it('does not make others recipients', () => expect(asRecipient([], { scope: 'document' }, 'stranger')).toEqual({ allowed: false, reason: 'no-grant' }));
});
