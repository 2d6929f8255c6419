import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  const claims = (sub: string, exp = 1000) => ({ sub, roles: ['oem'], exp });

  it('answers a remembered token while its times hold, with the tolerance', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('t', claims('org-1', 1000), 100);
    expect(cache.lookup('t', 500, 5)).toEqual(claims('org-1', 1000));
    expect(cache.lookup('t', 96, 5)).toBeDefined();
    expect(cache.lookup('t', 1004, 5)).toBeDefined();
    expect(cache.lookup('other', 500, 5)).toBeUndefined();
  });

  it('drops a token once it expired or when it is not valid yet', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('expired', claims('org-1', 1000), 100);
    expect(cache.lookup('expired', 1005, 5)).toBeUndefined();
    expect(cache.lookup('expired', 500, 5)).toBeUndefined();
    cache.remember('early', claims('org-1', 1000), 100);
    expect(cache.lookup('early', 94, 5)).toBeUndefined();
  });

  it('keeps at most its capacity, forgetting the oldest first', () => {
    const cache = new VerifiedTokenCache(2);
    cache.remember('a', claims('a'), 0);
    cache.remember('b', claims('b'), 0);
    cache.remember('c', claims('c'), 0);
    expect(cache.lookup('a', 1, 0)).toBeUndefined();
    expect(cache.lookup('b', 1, 0)?.sub).toBe('b');
    expect(cache.lookup('c', 1, 0)?.sub).toBe('c');
  });

  it('hands out claims that cannot be changed by a caller', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('t', claims('org-1'), 0);
    const found = cache.lookup('t', 1, 0)!;
    expect(() => (found.roles as string[]).push('operator')).toThrow(TypeError);
    expect(Object.isFrozen(found)).toBe(true);
  });
});
