import { generateParticipantKey, jwksProblem, MAX_KEYS_PER_JWKS, publicJwkProblem, thumbprintKid, type ParticipantKey, type PublicJwk } from './jwk';

describe('participant JWKs', () => {
  let ed25519: ParticipantKey;
  let p256: ParticipantKey;

  beforeAll(async () => {
    [ed25519, p256] = await Promise.all([generateParticipantKey('EdDSA'), generateParticipantKey('ES256')]);
  });

  describe('generateParticipantKey', () => {
    it.each(['EdDSA', 'ES256'] as const)('makes a %s key whose kid is its RFC 7638 thumbprint', async (alg) => {
      const key = await generateParticipantKey(alg);
      expect(key.alg).toBe(alg);
      expect(key.kid).toBe(await thumbprintKid(key.publicJwk));
      expect(key.publicJwk).toMatchObject({ kid: key.kid, alg });
      expect(key.privateJwk).toMatchObject({ kid: key.kid, alg, d: expect.any(String) });
      expect(publicJwkProblem(key.publicJwk)).toBeNull();
    });
  });

  describe('thumbprintKid', () => {
    it('matches the RFC 8037 appendix A.3 Ed25519 thumbprint', async () => {
      const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
      expect(await thumbprintKid(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    });

    it('ignores kid, alg and use', async () => {
      expect(await thumbprintKid({ ...ed25519.publicJwk, kid: 'other', use: 'sig' })).toBe(ed25519.kid);
    });
  });

  describe('publicJwkProblem', () => {
    it('accepts Ed25519 and P-256 public keys, with or without alg/use/key_ops', () => {
      expect(publicJwkProblem(ed25519.publicJwk)).toBeNull();
      expect(publicJwkProblem(p256.publicJwk)).toBeNull();
      const { alg: _alg, ...withoutAlg } = p256.publicJwk;
      expect(publicJwkProblem({ ...withoutAlg, use: 'sig', key_ops: ['verify'] })).toBeNull();
    });

    it.each(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])('refuses the private member %s', (member) => {
      expect(publicJwkProblem({ ...ed25519.publicJwk, [member]: 'AAAA' })).toMatch(/private key member/);
    });

    it('refuses a whole private JWK', () => {
      expect(publicJwkProblem(ed25519.privateJwk)).toMatch(/"d"/);
      expect(publicJwkProblem(p256.privateJwk)).toMatch(/"d"/);
    });

    it.each([
      ['no kid', { kid: undefined }],
      ['an empty kid', { kid: '' }],
      ['a numeric kid', { kid: 7 }],
    ])('refuses %s', (_label, change) => {
      expect(publicJwkProblem({ ...ed25519.publicJwk, ...change })).toMatch(/kid/);
    });

    it.each([
      ['RSA', { kty: 'RSA' }],
      ['oct', { kty: 'oct' }],
      ['X25519', { crv: 'X25519' }],
      ['Ed448', { crv: 'Ed448' }],
      ['OKP with crv P-256', { crv: 'P-256' }],
    ])('refuses a key of type %s', (_label, change) => {
      expect(publicJwkProblem({ ...ed25519.publicJwk, ...change })).toMatch(/only kty/);
    });

    it.each([
      ['P-384', { crv: 'P-384' }],
      ['secp256k1', { crv: 'secp256k1' }],
      ['EC with crv Ed25519', { crv: 'Ed25519' }],
    ])('refuses an EC key on %s', (_label, change) => {
      expect(publicJwkProblem({ ...p256.publicJwk, ...change })).toMatch(/only kty/);
    });

    const x = () => ed25519.publicJwk.x;
    it.each([
      ['too short', () => x().slice(0, 42)],
      ['too long', () => `${x()}AAAA`],
      ['padded', () => `${x()}=`],
      ['standard base64', () => x().replace(/^./, '+')],
      ['with non-canonical trailing bits', () => x().slice(0, 42) + 'B'],
      ['not a string', () => 42],
    ])('refuses an x that is %s', (_label, makeX) => {
      expect(publicJwkProblem({ ...ed25519.publicJwk, x: makeX() })).toMatch(/x must be/);
    });

    it('refuses a P-256 key without y, with a short y, or with a point off the curve', () => {
      const { y, ...withoutY } = p256.publicJwk;
      expect(publicJwkProblem(withoutY)).toMatch(/y must be/);
      expect(publicJwkProblem({ ...p256.publicJwk, y: (y as string).slice(1) })).toMatch(/y must be/);
      const offCurve = Buffer.from(y as string, 'base64url');
      offCurve[31] ^= 1;
      expect(publicJwkProblem({ ...p256.publicJwk, y: offCurve.toString('base64url') })).toMatch(/curve/);
    });

    it('refuses a y on an OKP key, a wrong alg, a use other than sig, and key_ops beyond verify', () => {
      expect(publicJwkProblem({ ...ed25519.publicJwk, y: p256.publicJwk.y })).toMatch(/no y/);
      expect(publicJwkProblem({ ...ed25519.publicJwk, alg: 'ES256' })).toMatch(/alg must be "EdDSA"/);
      expect(publicJwkProblem({ ...p256.publicJwk, alg: 'ES384' })).toMatch(/alg must be "ES256"/);
      expect(publicJwkProblem({ ...ed25519.publicJwk, use: 'enc' })).toMatch(/use/);
      expect(publicJwkProblem({ ...ed25519.publicJwk, key_ops: ['sign', 'verify'] })).toMatch(/key_ops/);
    });

    it.each([null, 'jwk', [], 42])('refuses the non-object %p', (value) => {
      expect(publicJwkProblem(value)).toMatch(/JSON object/);
    });
  });

  describe('jwksProblem', () => {
    const keyWithKid = async (kid: string): Promise<PublicJwk> => ({
      ...(await generateParticipantKey('EdDSA')).publicJwk,
      kid,
    });

    it('accepts a set of distinct public keys', () => {
      expect(jwksProblem({ keys: [ed25519.publicJwk, p256.publicJwk] })).toBeNull();
    });

    it('refuses sets that are not { keys: [...] }', () => {
      for (const value of [null, {}, { keys: {} }, [ed25519.publicJwk]]) expect(jwksProblem(value)).toMatch(/\{ keys/);
    });

    it('refuses an empty set and one over the limit', async () => {
      expect(jwksProblem({ keys: [] })).toMatch(/at least one/);
      const many = await Promise.all(Array.from({ length: MAX_KEYS_PER_JWKS + 1 }, (_, i) => keyWithKid(`k${i}`)));
      expect(jwksProblem({ keys: many })).toMatch(/at most/);
      expect(jwksProblem({ keys: many.slice(1) })).toBeNull();
    });

    it('names the offending key', () => {
      expect(jwksProblem({ keys: [ed25519.publicJwk, p256.privateJwk] })).toMatch(/^keys\[1\]: private key member/);
    });

    it('refuses duplicate kids and the same key under two kids', async () => {
      expect(jwksProblem({ keys: [await keyWithKid('same'), await keyWithKid('same')] })).toMatch(/unique/);
      expect(jwksProblem({ keys: [ed25519.publicJwk, { ...ed25519.publicJwk, kid: 'alias' }] })).toMatch(/twice/);
    });
  });
});
