import type { GrantCreated, Purpose, Scope } from '@exchange/domain';

/** A grant as the read side knows it: as created, and when it was revoked, if it was. */
export type GrantView = Omit<GrantCreated, 'origin'> & { revokedAt?: string };

/** What a read needs: at least this scope, and, when given, one of these purposes. */
export interface ReadNeed {
  scope: Scope;
  purposes?: readonly Purpose[];
}

export type ReadDecision =
  | { allowed: true; via: 'owner' }
  | { allowed: true; via: 'grant'; grant: GrantView }
  | { allowed: false; reason: 'no-grant' | 'revoked' | 'expired' | 'insufficient-scope' | 'wrong-purpose' };

const SCOPE_RANK: Record<Scope, number> = { document: 1, derivation: 2 };

/** Whether a grant is in force at an instant (RFC 3339 UTC strings compare in time order). */
export function grantInForce(grant: GrantView, now: string): boolean {
  return grant.revokedAt === undefined && (grant.expiresAt === undefined || now < grant.expiresAt);
}

/**
 * The one place that decides who may read what: the owner reads everything of its own; anybody
 * else needs a grant in force on the resource, to them, of sufficient scope (derivation includes
 * document) and, where the read asks for it, of a fitting purpose.
 */
export function decideRead(args: { readerOrgId: string; ownerOrgId: string; grants: readonly GrantView[]; need: ReadNeed; now: string }): ReadDecision {
  const { readerOrgId, ownerOrgId, grants, need, now } = args;
  if (readerOrgId === ownerOrgId) return { allowed: true, via: 'owner' };
  const mine = grants.filter((g) => g.granteeOrgId === readerOrgId && g.ownerOrgId === ownerOrgId);
  const live = mine.filter((g) => grantInForce(g, now));
  const fitting = live.filter((g) => SCOPE_RANK[g.scope] >= SCOPE_RANK[need.scope]);
  const granted = fitting.filter((g) => !need.purposes || need.purposes.includes(g.purpose));
  if (granted.length > 0) {
    const best = [...granted].sort((a, b) => SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope])[0]!;
    return { allowed: true, via: 'grant', grant: best };
  }
  if (fitting.length > 0) return { allowed: false, reason: 'wrong-purpose' };
  if (live.length > 0) return { allowed: false, reason: 'insufficient-scope' };
  if (mine.some((g) => g.revokedAt !== undefined)) return { allowed: false, reason: 'revoked' };
  if (mine.length > 0) return { allowed: false, reason: 'expired' };
  return { allowed: false, reason: 'no-grant' };
}
