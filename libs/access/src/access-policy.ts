import type { GrantCreated, Purpose, ReadRefusalReason, Scope } from '@exchange/domain';

/** A grant as the read side knows it: as created, and when it was revoked, if it was. */
export type GrantView = Omit<GrantCreated, 'origin'> & { revokedAt?: string };

/**
 * What a read needs: at least this scope (`owner`: what only the owner sees of its resource, its
 * grants and its audit trail, which no grant covers) and, when given, one of these purposes.
 */
export interface ReadNeed {
  scope: Scope | 'owner';
  purposes?: readonly Purpose[];
}

export type ReadDecision =
  | { allowed: true; via: 'owner' }
  | { allowed: true; via: 'grant'; grant: GrantView }
  | { allowed: true; via: 'recipient' }
  | { allowed: false; reason: ReadRefusalReason };

const SCOPE_RANK: Record<ReadNeed['scope'], number> = { document: 1, derivation: 2, owner: 3 };

/** Whether a grant is in force at an instant (RFC 3339 UTC strings compare in time order). */
export function grantInForce(grant: GrantView, now: string): boolean {
  return grant.revokedAt === undefined && (grant.expiresAt === undefined || now < grant.expiresAt);
}

/**
 * The one place that decides who may read what: the owner reads everything of its own; anybody
 * else needs a grant in force on the resource, to them, of sufficient scope (derivation includes
 * document; no grant covers what only the owner sees) and, where the read asks for it, of a
 * fitting purpose. `recipients` read the document without a grant (the regulator a submission
 * was sent to: the issuer cannot take a declaration back); a grant in force still comes first, so
 * that their reads are audited under it.
 */
export function decideRead(args: {
  readerOrgId: string;
  ownerOrgId: string;
  grants: readonly GrantView[];
  need: ReadNeed;
  now: string;
  recipients?: readonly string[];
}): ReadDecision {
  const { readerOrgId, ownerOrgId, grants, need, now } = args;
  if (readerOrgId === ownerOrgId) return { allowed: true, via: 'owner' };
  const needed = SCOPE_RANK[need.scope];
  // One pass (this runs for every level a reproduce walks): of the caller's grants on the resource,
  // the first granted one of the narrowest scope, and whether any is fitting, live, revoked.
  let best: GrantView | undefined;
  let mine = false;
  let live = false;
  let fitting = false;
  let revoked = false;
  for (const g of grants) {
    if (g.granteeOrgId !== readerOrgId || g.ownerOrgId !== ownerOrgId) continue;
    mine = true;
    if (g.revokedAt !== undefined) revoked = true;
    if (!grantInForce(g, now)) continue;
    live = true;
    const rank = SCOPE_RANK[g.scope];
    if (rank < needed) continue;
    fitting = true;
    if (need.purposes && !need.purposes.includes(g.purpose)) continue;
    if (best === undefined || rank < SCOPE_RANK[best.scope]) best = g;
  }
  if (best) return { allowed: true, via: 'grant', grant: best };
  if (need.scope === 'document' && !need.purposes && args.recipients?.includes(readerOrgId)) return { allowed: true, via: 'recipient' };
  if (fitting) return { allowed: false, reason: 'wrong-purpose' };
  if (live) return { allowed: false, reason: 'insufficient-scope' };
  if (revoked) return { allowed: false, reason: 'revoked' };
  if (mine) return { allowed: false, reason: 'expired' };
  return { allowed: false, reason: 'no-grant' };
}
