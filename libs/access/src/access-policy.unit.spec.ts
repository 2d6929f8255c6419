import fc from 'fast-check';
import { decideRead, type GrantView, type ReadNeed } from './access-policy';

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
  it('does not let a document grant read the derivation', () =>
    expect(read([grant()], { scope: 'derivation' })).toEqual({ allowed: false, reason: 'insufficient-scope' }));
  it('lets a derivation grant read the document', () => expect(read([grant({ scope: 'derivation' })])).toMatchObject({ allowed: true }));
  it('refuses after revocation', () =>
    expect(read([grant({ revokedAt: '2026-05-01T00:00:00.000Z' })])).toEqual({ allowed: false, reason: 'revoked' }));
  it('refuses after expiry, at the instant of expiry', () =>
    expect(read([grant({ expiresAt: now })])).toEqual({ allowed: false, reason: 'expired' }));
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
  it('does not make others recipients', () =>
    expect(asRecipient([], { scope: 'document' }, 'stranger')).toEqual({ allowed: false, reason: 'no-grant' }));
});

describe('decideRead: the one-pass decision', () => {
  /** The policy as first written, filter by filter: the single pass must decide exactly as it does. */
  function reference(args: Parameters<typeof decideRead>[0]): ReturnType<typeof decideRead> {
    const rank = { document: 1, derivation: 2, owner: 3 } as const;
    const { readerOrgId, ownerOrgId, grants, need } = args;
    if (readerOrgId === ownerOrgId) return { allowed: true, via: 'owner' };
    const mine = grants.filter((g) => g.granteeOrgId === readerOrgId && g.ownerOrgId === ownerOrgId);
    const live = mine.filter((g) => g.revokedAt === undefined && (g.expiresAt === undefined || args.now < g.expiresAt));
    const fitting = live.filter((g) => rank[g.scope] >= rank[need.scope]);
    const granted = fitting.filter((g) => !need.purposes || need.purposes.includes(g.purpose));
    if (granted.length > 0) return { allowed: true, via: 'grant', grant: [...granted].sort((a, b) => rank[a.scope] - rank[b.scope])[0]! };
    if (need.scope === 'document' && !need.purposes && args.recipients?.includes(readerOrgId)) return { allowed: true, via: 'recipient' };
    if (fitting.length > 0) return { allowed: false, reason: 'wrong-purpose' };
    if (live.length > 0) return { allowed: false, reason: 'insufficient-scope' };
    if (mine.some((g) => g.revokedAt !== undefined)) return { allowed: false, reason: 'revoked' };
    if (mine.length > 0) return { allowed: false, reason: 'expired' };
    return { allowed: false, reason: 'no-grant' };
  }

  const someGrant = fc.record({
    grantId: fc.constantFrom('g1', 'g2', 'g3', 'g4'),
    granteeOrgId: fc.constantFrom('reader', 'other'),
    ownerOrgId: fc.constantFrom('owner', 'owner2'),
    purpose: fc.constantFrom('downstream-aggregation', 'verification', 'regulatory'),
    scope: fc.constantFrom('document', 'derivation'),
    revokedAt: fc.option(fc.constant('2026-05-01T00:00:00.000Z'), { nil: undefined }),
    expiresAt: fc.option(fc.constantFrom(now, '2026-06-02T00:00:00.000Z'), { nil: undefined }),
  });
  const someNeed = fc.record({
    scope: fc.constantFrom('document', 'derivation', 'owner'),
    purposes: fc.option(fc.subarray(['downstream-aggregation', 'verification', 'regulatory'] as const), { nil: undefined }),
  });

  it('decides as the filter-by-filter policy does, grant chosen included', () =>
    fc.assert(
      fc.property(
        fc.array(someGrant, { maxLength: 6 }),
        someNeed,
        fc.constantFrom('reader', 'owner'),
        fc.boolean(),
        (drawn, need, readerOrgId, recipient) => {
          const grants = drawn.map(
            ({ revokedAt, expiresAt, ...g }) =>
              ({
                ...g,
                resource: { type: 'footprint', id: 'f1' },
                createdAt: '2026-01-01T00:00:00.000Z',
                ...(revokedAt && { revokedAt }),
                ...(expiresAt && { expiresAt }),
              }) as GrantView,
          );
          const args: Parameters<typeof decideRead>[0] = {
            readerOrgId,
            ownerOrgId: 'owner',
            grants,
            need: need as ReadNeed,
            now,
            ...(recipient && { recipients: ['reader'] }),
          };
          const decided = decideRead(args);
          expect(decided).toEqual(reference(args));
          if (decided.allowed && decided.via === 'grant') expect(decided.grant).toBe((reference(args) as { grant: GrantView }).grant);
        },
      ),
    ));
});
