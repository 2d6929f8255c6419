import { KeyHistoryError } from './errors';
import { generateParticipantKey, type PublicJwk } from './jwk';
import { applyKeySet, currentKeys, keyResolverAt, keyValidAt, retiredKeys, type KeyRecord } from './key-history';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-06-01T00:00:00Z';
const T2 = '2025-09-01T12:30:00.250Z';

describe('key history', () => {
  let a: PublicJwk;
  let b: PublicJwk;
  let c: PublicJwk;

  beforeAll(async () => {
    [a, b, c] = (await Promise.all([generateParticipantKey('EdDSA'), generateParticipantKey('ES256'), generateParticipantKey('EdDSA')])).map(
      (key) => key.publicJwk,
    );
  });

  const codeOf = (action: () => unknown): string | undefined => {
    try {
      action();
      return undefined;
    } catch (error) {
      return error instanceof KeyHistoryError ? error.code : `not a KeyHistoryError: ${String(error)}`;
    }
  };

  it('registers every key of the first set as current from that instant', () => {
    const history = applyKeySet([], { keys: [a, b] }, T0);
    expect(history).toEqual([
      { kid: a.kid, jwk: a, validFrom: T0 },
      { kid: b.kid, jwk: b, validFrom: T0 },
    ]);
    expect(currentKeys(history)).toHaveLength(2);
    expect(retiredKeys(history)).toHaveLength(0);
  });

  it('on rotation retires keys no longer in the set, keeps those still in it, and starts new ones', () => {
    const registered = applyKeySet([], { keys: [a, b] }, T0);
    const rotated = applyKeySet(registered, { keys: [b, c] }, T1);
    expect(rotated).toEqual([
      { kid: a.kid, jwk: a, validFrom: T0, validUntil: T1 },
      { kid: b.kid, jwk: b, validFrom: T0 },
      { kid: c.kid, jwk: c, validFrom: T1 },
    ]);
    expect(currentKeys(rotated).map((record) => record.kid)).toEqual([b.kid, c.kid]);
    expect(retiredKeys(rotated).map((record) => record.kid)).toEqual([a.kid]);
    expect(registered).toHaveLength(2); // the input is not mutated
    expect(registered[0].validUntil).toBeUndefined();
  });

  it('answers which key was valid at an instant: a retired key before its retirement, not after', () => {
    const history = applyKeySet(applyKeySet([], { keys: [a] }, T0), { keys: [c] }, T1);
    expect(keyValidAt(history, a.kid, '2025-03-01T00:00:00Z')?.jwk).toEqual(a);
    expect(keyValidAt(history, a.kid, T0)).toBeDefined(); // validFrom is inclusive
    expect(keyValidAt(history, a.kid, T1)).toBeUndefined(); // validUntil is exclusive
    expect(keyValidAt(history, a.kid, T2)).toBeUndefined();
    expect(keyValidAt(history, a.kid, '2024-12-31T23:59:59Z')).toBeUndefined();
    expect(keyValidAt(history, c.kid, '2025-03-01T00:00:00Z')).toBeUndefined();
    expect(keyValidAt(history, c.kid, T2)?.jwk).toEqual(c);
    expect(keyValidAt(history, 'unknown', T2)).toBeUndefined();
  });

  it('compares instants as times, not as strings', () => {
    const history = applyKeySet([], { keys: [a] }, '2025-01-01T01:00:00+01:00');
    expect(keyValidAt(history, a.kid, '2025-01-01T00:00:00Z')).toBeDefined();
    expect(keyValidAt(history, a.kid, new Date('2024-12-31T23:59:59.999Z'))).toBeUndefined();
  });

  it('gives verifyDocumentJws a resolver for an instant', () => {
    const history = applyKeySet(applyKeySet([], { keys: [a] }, T0), { keys: [c] }, T1);
    expect(keyResolverAt(history, '2025-02-01T00:00:00Z')(a.kid)).toEqual(a);
    expect(keyResolverAt(history, T2)(a.kid)).toBeUndefined();
  });

  it('lets a retired kid come back with the same key, as a new validity period', () => {
    let history: KeyRecord[] = applyKeySet([], { keys: [a] }, T0);
    history = applyKeySet(history, { keys: [c] }, T1);
    history = applyKeySet(history, { keys: [a, c] }, T2);
    expect(history.filter((record) => record.kid === a.kid)).toEqual([
      { kid: a.kid, jwk: a, validFrom: T0, validUntil: T1 },
      { kid: a.kid, jwk: a, validFrom: T2 },
    ]);
    expect(keyValidAt(history, a.kid, '2025-07-01T00:00:00Z')).toBeUndefined();
    expect(keyValidAt(history, a.kid, '2025-10-01T00:00:00Z')?.validFrom).toBe(T2);
  });

  it('refuses a kid reused with different key material, current or retired', () => {
    const history = applyKeySet(applyKeySet([], { keys: [a] }, T0), { keys: [c] }, T1);
    expect(codeOf(() => applyKeySet(history, { keys: [{ ...b, kid: c.kid }] }, T2))).toBe('kid-reused');
    expect(codeOf(() => applyKeySet(history, { keys: [c, { ...b, kid: a.kid }] }, T2))).toBe('kid-reused');
  });

  it('keeps a record unchanged when the same key is presented again with other optional members', () => {
    const history = applyKeySet([], { keys: [a] }, T0);
    const { alg: _alg, ...withoutAlg } = a;
    expect(applyKeySet(history, { keys: [{ ...withoutAlg, use: 'sig' }] }, T1)).toEqual(history);
  });

  it('stores keys without members it does not keep', () => {
    const history = applyKeySet([], { keys: [{ ...a, key_ops: ['verify'], ext: true }] }, T0);
    expect(history[0].jwk).toEqual(a);
  });

  it('refuses invalid sets, invalid times and times before the history', () => {
    const history = applyKeySet([], { keys: [a] }, T1);
    expect(codeOf(() => applyKeySet(history, { keys: [] }, T2))).toBe('invalid-jwks');
    expect(codeOf(() => applyKeySet(history, { keys: [{ ...a, d: 'secret' }] }, T2))).toBe('invalid-jwks');
    expect(codeOf(() => applyKeySet(history, { keys: [c] }, '2025-13-01'))).toBe('invalid-time');
    for (const at of ['yesterday', '2025-02-30T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T00:00:00', '2025-01-01']) {
      expect(codeOf(() => applyKeySet(history, { keys: [c] }, at))).toBe('invalid-time');
    }
    expect(codeOf(() => applyKeySet(history, { keys: [c] }, T0))).toBe('time-went-backwards');
    expect(codeOf(() => keyValidAt(history, a.kid, 'now'))).toBe('invalid-time');
  });
});
