import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@exchange/domain/canonical';
import { SignJWT, type JWK } from 'jose';
import { SignatureError, TokenError, type TokenErrorCode } from './errors';
import { EXCHANGE_KEYS_FILE } from './exchange-key-file';
import { ExchangeKeyRing, type Receipt } from './exchange-keys';
import { generateParticipantKey } from './jwk';
import { hmacCompactByHand, signCompactByHand, unsecuredCompactByHand } from './testing/hand-made-jws';

const receipt: Receipt = {
  documentId: '0b6f3c2e-3f4a-4c59-9d2b-2f1f4a0c9e11',
  version: 1,
  payloadSha256: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
  position: '42',
  receivedAt: '2025-06-01T10:00:00.000Z',
};

describe('ExchangeKeyRing', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'exchange-keys-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('persistence', () => {
    it('creates the key file with mode 0600 and no leftover temporary file', async () => {
      const ring = await ExchangeKeyRing.loadOrCreate(join(dataDir, 'nested'));
      const path = join(dataDir, 'nested', EXCHANGE_KEYS_FILE);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readdir(join(dataDir, 'nested'))).toEqual([EXCHANGE_KEYS_FILE]);
      const stored = JSON.parse(await readFile(path, 'utf8'));
      expect(stored).toMatchObject({ version: 1, currentKid: ring.currentKid, keys: [{ kid: ring.currentKid, d: expect.any(String) }] });
    });

    it('keeps the same key across restarts: an old receipt still verifies', async () => {
      const before = await ExchangeKeyRing.loadOrCreate(dataDir);
      const signed = await before.signReceipt(receipt);
      const after = await ExchangeKeyRing.loadOrCreate(dataDir);
      expect(after.currentKid).toBe(before.currentKid);
      expect(after.publicJwks()).toEqual(before.publicJwks());
      await expect(after.verifyReceipt(signed)).resolves.toEqual(receipt);
      expect(await after.signReceipt(receipt)).toBe(signed);
    });

    it('refuses a corrupt key file instead of replacing it', async () => {
      const path = join(dataDir, EXCHANGE_KEYS_FILE);
      await writeFile(path, '{"version":1,"keys":[]}', { mode: 0o600 });
      await expect(ExchangeKeyRing.loadOrCreate(dataDir)).rejects.toThrow(/refusing to replace/);
      expect(await readFile(path, 'utf8')).toBe('{"version":1,"keys":[]}');
    });

    it('tightens a key file readable by others to 0600', async () => {
      await ExchangeKeyRing.loadOrCreate(dataDir);
      const path = join(dataDir, EXCHANGE_KEYS_FILE);
      await chmod(path, 0o644);
      await ExchangeKeyRing.loadOrCreate(dataDir);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });
  });

  it('publishes public members only, with kid, alg EdDSA and use sig', async () => {
    const ring = await ExchangeKeyRing.inMemory();
    const { keys } = ring.publicJwks();
    expect(keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: ring.currentKid, alg: 'EdDSA', use: 'sig' }]);
  });

  describe('receipts', () => {
    it('signs { alg EdDSA, kid, typ receipt+jws } over the canonical receipt, deterministically', async () => {
      const ring = await ExchangeKeyRing.inMemory();
      const jws = await ring.signReceipt(receipt);
      const [header, payload] = jws.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: ring.currentKid, typ: 'receipt+jws' });
      expect(Buffer.from(payload, 'base64url').toString()).toBe(canonicalJson(receipt));
      expect(await ring.signReceipt({ ...receipt })).toBe(jws);
      expect(await ring.signReceipt({ ...receipt, extra: 'dropped' } as Receipt)).toBe(jws);
    });

    it('refuses a tampered receipt and one signed by another exchange', async () => {
      const ring = await ExchangeKeyRing.inMemory();
      const [h, , s] = (await ring.signReceipt(receipt)).split('.');
      const tampered = `${h}.${Buffer.from(canonicalJson({ ...receipt, position: '41' })).toString('base64url')}.${s}`;
      await expect(ring.verifyReceipt(tampered)).rejects.toMatchObject({ code: 'bad-signature' });
      const foreign = await (await ExchangeKeyRing.inMemory()).signReceipt(receipt);
      await expect(ring.verifyReceipt(foreign)).rejects.toBeInstanceOf(SignatureError);
      await expect(ring.verifyReceipt(foreign)).rejects.toMatchObject({ code: 'unknown-key' });
    });
  });

  describe('access tokens', () => {
    const start = new Date('2025-06-01T10:00:00Z');
    let now: Date;
    let ring: ExchangeKeyRing;
    beforeEach(async () => {
      now = start;
      ring = await ExchangeKeyRing.loadOrCreate(dataDir, { clock: () => now });
    });
    const at = (secondsAfterStart: number) => {
      now = new Date(start.getTime() + secondsAfterStart * 1000);
    };
    /** Claims that would be accepted, valid at `start`, for tokens forged by hand. */
    const forgedClaims = () => {
      const iat = start.getTime() / 1000;
      return JSON.stringify({ iss: ring.issuer, aud: ring.audience, sub: 'org-1', roles: ['operator'], iat, nbf: iat, exp: iat + 3600, jti: 'j' });
    };
    const failure = async (token: string, verifier = ring): Promise<TokenErrorCode> => {
      const error = await verifier.verifyAccessToken(token).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      if (!(error instanceof TokenError)) throw new Error(`expected a TokenError, got ${String(error)}`);
      return error.code;
    };

    it('issues an at+jwt with iss, aud, sub, roles, iat, nbf, exp and jti that verifies', async () => {
      const { token, expiresIn } = await ring.issueAccessToken({ sub: 'org-1', roles: ['supplier'], ttlSeconds: 900 });
      expect(expiresIn).toBe(900);
      const [header, claims] = token
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toEqual({ alg: 'EdDSA', kid: ring.currentKid, typ: 'at+jwt' });
      const iat = start.getTime() / 1000;
      expect(claims).toEqual({
        iss: 'urn:battery-exchange',
        aud: 'urn:battery-exchange:api',
        sub: 'org-1',
        roles: ['supplier'],
        iat,
        nbf: iat,
        exp: iat + 900,
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      await expect(ring.verifyAccessToken(token)).resolves.toEqual({ sub: 'org-1', roles: ['supplier'], exp: iat + 900 });
    });

    it('still verifies after a restart', async () => {
      const { token } = await ring.issueAccessToken({ sub: 'org-1', roles: [], ttlSeconds: 60 });
      const restarted = await ExchangeKeyRing.loadOrCreate(dataDir, { clock: () => now });
      await expect(restarted.verifyAccessToken(token)).resolves.toMatchObject({ sub: 'org-1' });
    });

    it('expires, with a few seconds of clock tolerance', async () => {
      const { token } = await ring.issueAccessToken({ sub: 'org-1', roles: ['oem'], ttlSeconds: 60 });
      at(63);
      await expect(ring.verifyAccessToken(token)).resolves.toMatchObject({ sub: 'org-1' });
      at(66);
      expect(await failure(token)).toBe('token-expired');
    });

    it('is not valid before it was issued (beyond the tolerance)', async () => {
      at(3600);
      const { token } = await ring.issueAccessToken({ sub: 'org-1', roles: [], ttlSeconds: 60 });
      at(3597);
      await expect(ring.verifyAccessToken(token)).resolves.toBeDefined();
      at(3590);
      expect(await failure(token)).toBe('token-not-yet-valid');
    });

    it('refuses another audience and another issuer', async () => {
      const sameKeys = { clock: () => now };
      const { token } = await ring.issueAccessToken({ sub: 'org-1', roles: [], ttlSeconds: 60 });
      const otherAudience = await ExchangeKeyRing.loadOrCreate(dataDir, { ...sameKeys, audience: 'urn:other-api' });
      expect(await failure(token, otherAudience)).toBe('token-wrong-audience');
      const otherIssuer = await ExchangeKeyRing.loadOrCreate(dataDir, { ...sameKeys, issuer: 'urn:other-exchange' });
      expect(await failure(token, otherIssuer)).toBe('token-wrong-issuer');
    });

    it('accepts a hand-made token with our key and the forged claims (control for the refusals below)', async () => {
      const header = { alg: 'EdDSA', kid: ring.currentKid, typ: 'at+jwt' };
      const token = signCompactByHand(header, forgedClaims(), await storedPrivateJwk(dataDir));
      await expect(ring.verifyAccessToken(token)).resolves.toEqual({ sub: 'org-1', roles: ['operator'], exp: start.getTime() / 1000 + 3600 });
    });

    it('refuses tokens from another key, even under our kid', async () => {
      const foreignRing = await ExchangeKeyRing.inMemory({ clock: () => now });
      const { token } = await foreignRing.issueAccessToken({ sub: 'org-1', roles: ['operator'], ttlSeconds: 60 });
      expect(await failure(token)).toBe('token-invalid');

      const attacker = await generateParticipantKey('EdDSA');
      const claims = forgedClaims();
      const header = { alg: 'EdDSA', kid: ring.currentKid, typ: 'at+jwt' };
      expect(await failure(signCompactByHand(header, claims, attacker.privateJwk))).toBe('token-invalid');
      const embedded = { ...header, kid: attacker.kid, jwk: attacker.publicJwk };
      expect(await failure(signCompactByHand(embedded, claims, attacker.privateJwk))).toBe('token-invalid');
    });

    it('refuses alg none, HS256 keyed with our public key, ES256, and a wrong typ', async () => {
      const claims = forgedClaims();
      const kid = ring.currentKid;
      const publicKeyBytes = Buffer.from(ring.publicJwks().keys[0].x, 'base64url');
      expect(await failure(unsecuredCompactByHand({ alg: 'none', kid, typ: 'at+jwt' }, claims))).toBe('token-invalid');
      expect(await failure(hmacCompactByHand({ alg: 'HS256', kid, typ: 'at+jwt' }, claims, publicKeyBytes))).toBe('token-invalid');
      const ec = await generateParticipantKey('ES256');
      expect(await failure(signCompactByHand({ alg: 'ES256', kid, typ: 'at+jwt' }, claims, ec.privateJwk))).toBe('token-invalid');

      const receiptAsToken = await ring.signReceipt(receipt);
      expect(await failure(receiptAsToken)).toBe('token-invalid');
      const plainJwt = await new SignJWT({ roles: [] })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .setIssuer(ring.issuer)
        .setAudience(ring.audience)
        .setSubject('org-1')
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('1h')
        .setJti('j')
        .sign(createPrivateKey({ key: (await storedPrivateJwk(dataDir)) as JsonWebKey, format: 'jwk' }));
      expect(await failure(plainJwt)).toBe('token-invalid');
    });

    it('refuses garbage and rejects bad issuing requests', async () => {
      expect(await failure('not.a.token')).toBe('token-invalid');
      expect(await failure('')).toBe('token-invalid');
      await expect(ring.issueAccessToken({ sub: '', roles: [], ttlSeconds: 60 })).rejects.toThrow(TypeError);
      await expect(ring.issueAccessToken({ sub: 'org-1', roles: [], ttlSeconds: 0 })).rejects.toThrow(TypeError);
      await expect(ring.issueAccessToken({ sub: 'org-1', roles: [], ttlSeconds: 1.5 })).rejects.toThrow(TypeError);
    });
  });
});

async function storedPrivateJwk(dataDir: string): Promise<JWK> {
  const stored = JSON.parse(await readFile(join(dataDir, EXCHANGE_KEYS_FILE), 'utf8'));
  const { kty, crv, x, d } = stored.keys[0];
  return { kty, crv, x, d };
}
