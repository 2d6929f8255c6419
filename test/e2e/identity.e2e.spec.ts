import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Role } from '@exchange/domain';
import { generateParticipantKey } from '@exchange/signing';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import {
  http,
  registerClient as registerTestClient,
  registerParticipant,
  type HttpAnswer,
  type Participant,
  type RegisteredClient as Client,
} from '../support/participants';
import { refused } from '../support/refusals';

const ISSUER = 'urn:battery-exchange';
const TOKEN_TTL_SECONDS = 3600;

describe('identity: client credentials, access tokens and organization keys', () => {
  let exchange: TestExchange;
  let client: Client;
  let stranger: Participant;

  async function register(name: string, roles: Role[] = ['supplier'], over: { id?: string; jwks?: unknown } = {}): Promise<HttpAnswer> {
    return http(exchange, 'POST', '/v1/organizations', {
      token: exchange.operatorToken,
      body: { ...(over.id && { id: over.id }), name, roles, jwks: over.jwks },
    });
  }

  const registerClient = (name: string, roles: Role[] = ['supplier']) => registerTestClient(exchange, name, roles);

  const tokenJson = (body: Record<string, string>) => http(exchange, 'POST', '/v1/auth/token', { body });
  const tokenForm = (body: Record<string, string>) =>
    http(exchange, 'POST', '/v1/auth/token', {
      body: new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const tokenBasic = (id: string, secret: string, body: Record<string, string> = { grant_type: 'client_credentials' }) =>
    http(exchange, 'POST', '/v1/auth/token', {
      body,
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` },
    });

  function expectToken(answer: HttpAnswer) {
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS });
    return answer.body.access_token as string;
  }

  beforeAll(async () => {
    exchange = await startTestExchange();
    client = await registerClient('Andes Lithium', ['supplier']);
    stranger = await registerParticipant(exchange, 'Stranger');
  });
  afterAll(() => exchange.stop());

  describe('POST /v1/auth/token', () => {
    it('issues a token for client credentials sent as JSON', async () => {
      const token = expectToken(
        await tokenJson({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
      );
      const me = await http(exchange, 'GET', `/v1/organizations/${client.id}`, { token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id: client.id, name: 'Andes Lithium', roles: ['supplier'], registeredAt: expect.any(String) });
    });

    it('issues a token for client credentials sent as application/x-www-form-urlencoded', async () => {
      const token = expectToken(
        await tokenForm({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
      );
      expect((await http(exchange, 'GET', '/v1/parts', { token })).status).toBe(200);
    });

    it('issues a token for client credentials sent with HTTP Basic, the grant type as JSON or as a form', async () => {
      expectToken(await tokenBasic(client.clientId, client.clientSecret));
      const form = await http(exchange, 'POST', '/v1/auth/token', {
        body: 'grant_type=client_credentials',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        },
      });
      expectToken(form);
    });

    it('refuses a wrong secret with 401 problem+json, whichever way it is sent', async () => {
      const wrong = `${client.clientSecret.slice(0, -1)}${client.clientSecret.endsWith('A') ? 'B' : 'A'}`;
      expect(
        (await refused(exchange, 401, () => tokenJson({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: wrong }))).code,
      ).toBe('invalid-client');
      expect(
        (await refused(exchange, 401, () => tokenForm({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: wrong }))).code,
      ).toBe('invalid-client');
      expect((await refused(exchange, 401, () => tokenBasic(client.clientId, wrong))).code).toBe('invalid-client');
      expect((await refused(exchange, 401, () => tokenJson({ grant_type: 'client_credentials', client_id: client.clientId }))).code).toBe(
        'invalid-client',
      );
    });

    it('refuses an unknown client with 401, the same answer as a wrong secret', async () => {
      const unknown = await refused(exchange, 401, () =>
        tokenJson({ grant_type: 'client_credentials', client_id: randomUUID(), client_secret: client.clientSecret }),
      );
      const wrong = await refused(exchange, 401, () =>
        tokenJson({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'not-the-secret' }),
      );
      expect(unknown).toEqual(wrong);
      expect((await refused(exchange, 401, () => tokenBasic(randomUUID(), 'whatever'))).code).toBe('invalid-client');
      expect((await refused(exchange, 401, () => tokenJson({ grant_type: 'client_credentials' }))).code).toBe('invalid-client');
    });

    it('refuses a grant type other than client_credentials with 400, even with good credentials', async () => {
      const body = await refused(exchange, 400, () =>
        tokenJson({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret }),
      );
      expect(body.code).toBe('unsupported-grant-type');
      expect(body.errors).toEqual([{ field: 'grant_type', message: expect.any(String) }]);
      expect(
        (
          await refused(exchange, 400, () =>
            tokenForm({ grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret }),
          )
        ).code,
      ).toBe('unsupported-grant-type');
      expect((await refused(exchange, 400, () => tokenBasic(client.clientId, client.clientSecret, {}))).code).toBe('unsupported-grant-type');
    });

    it('issues a JWT whose claims name the exchange, the organization, its roles and the expiry, signed by a key of /.well-known/jwks.json', async () => {
      const oem = await registerClient('Nagoya Motors', ['oem']);
      const before = Math.floor(Date.now() / 1000);
      const token = expectToken(await tokenJson({ grant_type: 'client_credentials', client_id: oem.clientId, client_secret: oem.clientSecret }));
      const after = Math.ceil(Date.now() / 1000);

      const claims = decodeJwt(token);
      expect(claims.iss).toBe(ISSUER);
      expect(claims.sub).toBe(oem.id);
      expect(claims.roles).toEqual(['oem']);
      expect(typeof claims.exp).toBe('number');
      expect(claims.exp!).toBeGreaterThanOrEqual(before + TOKEN_TTL_SECONDS);
      expect(claims.exp!).toBeLessThanOrEqual(after + TOKEN_TTL_SECONDS);
      expect(claims).not.toHaveProperty('client_secret');

      const published = await http<JSONWebKeySet>(exchange, 'GET', '/.well-known/jwks.json');
      expect(published.status).toBe(200);
      expect(published.body.keys.length).toBeGreaterThan(0);
      for (const key of published.body.keys) expect(key).not.toHaveProperty('d');
      const header = decodeProtectedHeader(token);
      expect(published.body.keys.map((k) => k.kid)).toContain(header.kid);

      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(published.body), {
        issuer: ISSUER,
        subject: oem.id,
        typ: 'at+jwt',
      });
      expect(protectedHeader.alg).toBe('EdDSA');
      expect(payload).toMatchObject({ iss: ISSUER, sub: oem.id, roles: ['oem'], exp: claims.exp });

      const tampered = token.split('.');
      tampered[1] = Buffer.from(JSON.stringify({ ...claims, roles: ['operator'] })).toString('base64url');
      await expect(jwtVerify(tampered.join('.'), createLocalJWKSet(published.body))).rejects.toThrow();
    });
  });

  describe('organization keys', () => {
    it('GET /v1/organizations/{id}/jwks shows the current keys; after PUT the old key is retired with validUntil', async () => {
      const org = await registerClient('Kanto Cathode');
      const token = expectToken(await tokenJson({ grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret }));

      const initial = await http(exchange, 'GET', `/v1/organizations/${org.id}/jwks`, { token: stranger.token });
      expect(initial.status).toBe(200);
      expect(initial.body).toEqual({ keys: [org.key.publicJwk], history: [{ kid: org.key.kid, validFrom: expect.any(String), status: 'current' }] });
      expect(initial.body.keys[0]).not.toHaveProperty('d');

      const next = await generateParticipantKey('ES256');
      const before = await exchange.eventCount();
      const rotated = await http(exchange, 'PUT', `/v1/organizations/${org.id}/jwks`, { token, body: { keys: [next.publicJwk] } });
      expect(rotated.status).toBe(200);
      expect(await exchange.eventCount()).toBe(before + 1n);
      const retiredAt = rotated.body.history.find((h: { kid: string }) => h.kid === org.key.kid)?.validUntil;
      expect(rotated.body).toEqual({
        keys: [org.key.publicJwk, next.publicJwk],
        history: [
          { kid: org.key.kid, validFrom: initial.body.history[0].validFrom, validUntil: expect.any(String), status: 'retired' },
          { kid: next.kid, validFrom: retiredAt, status: 'current' },
        ],
      });
      expect(Date.parse(retiredAt)).toBeGreaterThanOrEqual(Date.parse(initial.body.history[0].validFrom));

      const seen = await http(exchange, 'GET', `/v1/organizations/${org.id}/jwks`, { token: exchange.operatorToken });
      expect(seen.status).toBe(200);
      expect(seen.body).toEqual(rotated.body);
    });

    it("refuses another organization's PUT of someone else's jwks with 403, appending nothing", async () => {
      const org = await registerClient('Tohoku Anode');
      const intruder = await generateParticipantKey('EdDSA');
      const body = await refused(exchange, 403, () => stranger.call('PUT', `/v1/organizations/${org.id}/jwks`, { keys: [intruder.publicJwk] }));
      expect(body.code).toBe('not-your-organization');
      const unchanged = await stranger.call('GET', `/v1/organizations/${org.id}/jwks`);
      expect(unchanged.body.keys).toEqual([org.key.publicJwk]);
    });

    it('answers 404 for the keys of an organization that does not exist', async () => {
      const missing = await stranger.call('GET', `/v1/organizations/${randomUUID()}/jwks`);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('organization-not-found');
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('POST /v1/organizations', () => {
    it('refuses a JWK with the private member d with 400, appending nothing', async () => {
      const key = await generateParticipantKey('EdDSA');
      expect(key.privateJwk).toHaveProperty('d');
      const body = await refused(exchange, 400, () => register('Leaky Keys Inc', ['supplier'], { jwks: { keys: [key.privateJwk] } }));
      expect(body.code).toBe('invalid-jwks');
      expect(body.detail).toContain('"d"');
    });

    it('refuses a duplicate id with 409, appending nothing', async () => {
      const id = randomUUID();
      const key = await generateParticipantKey('EdDSA');
      const first = await register('First Holder', ['supplier'], { id, jwks: { keys: [key.publicJwk] } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ id, clientId: id, clientSecret: expect.any(String) });
      const body = await refused(exchange, 409, () => register('Second Holder', ['oem'], { id, jwks: { keys: [key.publicJwk] } }));
      expect(body.code).toBe('duplicate-id');
      const still = await http(exchange, 'GET', `/v1/organizations/${id}`, { token: exchange.operatorToken });
      expect(still.body).toMatchObject({ id, name: 'First Holder', roles: ['supplier'] });
    });
  });

  it('does not keep one-time secrets for Idempotency-Key replays: a replayed registration or token request is a 409 and causes nothing', async () => {
    const key = await generateParticipantKey('EdDSA');
    const body = { name: 'Replayed Registration', roles: ['supplier'], jwks: { keys: [key.publicJwk] } };
    const headers = { 'idempotency-key': `register-${randomUUID()}` };
    const first = await http(exchange, 'POST', '/v1/organizations', { token: exchange.operatorToken, body, headers });
    expect(first.status).toBe(201);
    const before = await exchange.eventCount();
    const replay = await http(exchange, 'POST', '/v1/organizations', { token: exchange.operatorToken, body, headers });
    expect({ status: replay.status, code: replay.body.code }).toEqual({ status: 409, code: 'idempotency-key-already-applied' });
    expect(await exchange.eventCount()).toBe(before);

    const tokenBody = { grant_type: 'client_credentials', client_id: first.body.clientId, client_secret: first.body.clientSecret };
    const tokenHeaders = { 'idempotency-key': `token-${randomUUID()}` };
    const token = await http(exchange, 'POST', '/v1/auth/token', { body: tokenBody, headers: tokenHeaders });
    expect(token.status).toBe(200);
    expect((await http(exchange, 'POST', '/v1/auth/token', { body: tokenBody, headers: tokenHeaders })).status).toBe(409);

    const stored =
      readFileSync(join(exchange.dataDir, 'idempotency.sqlite')).toString('latin1') + readWal(join(exchange.dataDir, 'idempotency.sqlite-wal'));
    expect(stored).not.toContain(first.body.clientSecret);
    expect(stored).not.toContain(token.body.access_token);
  });
});

function readWal(path: string): string {
  return existsSync(path) ? readFileSync(path).toString('latin1') : '';
}
