import type { VerifiedAccessToken } from './exchange-keys';

interface Entry {
  claims: Readonly<VerifiedAccessToken>;
  notBefore: number;
}

/**
 * Access tokens whose signature, issuer, audience and type were already checked, so that a
 * client's every request does not pay for another signature check. Times (`nbf`, `exp`) are
 * checked again on every use; an entry that no longer passes is dropped and the caller verifies in
 * full (which then says why the token is refused). Bounded: the oldest entry goes first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 10_000) {}

  lookup(token: string, nowSeconds: number, toleranceSeconds: number): Readonly<VerifiedAccessToken> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const expired = entry.claims.exp <= nowSeconds - toleranceSeconds;
    const notYetValid = entry.notBefore > nowSeconds + toleranceSeconds;
    if (expired || notYetValid) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  remember(token: string, claims: VerifiedAccessToken, notBefore: number): void {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims: Object.freeze({ ...claims, roles: Object.freeze([...claims.roles]) as string[] }), notBefore });
  }
}
