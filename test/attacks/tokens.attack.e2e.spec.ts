import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import type { StageFigures } from '@exchange/domain';
import { EXCHANGE_KEYS_FILE, generateParticipantKey } from '@exchange/signing';
import { hmacCompactByHand, signCompactByHand, unsecuredCompactByHand } from '@exchange/signing/testing/hand-made-jws';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { footprintDraft, http, registerParticipant, type HttpAnswer, type Participant } from '../support/participants';
import { refused } from '../support/refusals';
import { describeAnswer, recordAttack } from './support/attack-table';

const ISSUER = 'urn:battery-exchange';
const AUDIENCE = 'urn:battery-exchange:api';

/**
 * Access tokens under attack: forged, stale, misdirected and misused bearer credentials on a
 * participant endpoint (GET /v1/parts) and an operator endpoint (POST /v1/organizations). Bad
 * tokens are 401 problem+json with a stable code; good tokens on the wrong endpoint are 403; none
 * appends an event.
 */
describe('attacks on access tokens', () => {
  let exchange: TestExchange;
  let supplier: Participant;
  let certifier: Participant;
  let regulator: Participant;
  let partId: string;
  /** The exchange's own signing key, read from its key file as an insider would: proves claims are checked, not only signatures. */
  let exchangeKey: { kid: string; privateKey: KeyLike; x: string; jwk: JWK };

  const OWN: StageFigures = { rawMaterialAcquisition: '1', mainProduction: '2', distribution: '0', endOfLife: '0' };

  beforeAll(async () => {
    exchange = await startTestExchange();
    supplier = await registerParticipant(exchange, 'Honest Supplier');
    certifier = await registerParticipant(exchange, 'Certifier', ['certifier']);
    regulator = await registerParticipant(exchange, 'Regulator', ['regulator']);
    partId = await supplier.registerPart('anode-graphite');

    const file = JSON.parse(readFileSync(`${exchange.dataDir}/${EXCHANGE_KEYS_FILE}`, 'utf8'));
    const stored = file.keys.find((key: { kid: string }) => key.kid === file.currentKid);
    const jwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: stored.x, d: stored.d };
    exchangeKey = { kid: stored.kid, x: stored.x, jwk, privateKey: (await importJWK(jwk, 'EdDSA')) as KeyLike };
  }, 60_000);

  afterAll(async () => {
    await exchange?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);

  /** The claims the exchange itself would put in a supplier's token, with `over` applied (undefined removes a claim). */
  function claims(over: Partial<Record<keyof JWTPayload | 'roles', unknown>> = {}): Record<string, unknown> {
    const iat = now();
    const base: Record<string, unknown> = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: supplier.id,
      roles: ['supplier'],
      iat,
      nbf: iat,
      exp: iat + 600,
      jti: randomUUID(),
    };
    for (const [name, value] of Object.entries(over)) {
      if (value === undefined) delete base[name];
      else base[name] = value;
    }
    return base;
  }

  /** A token signed with `key` (the exchange's own key by default), header `{ alg: EdDSA, kid, typ: at+jwt }` plus `header`. */
  async function forge(payload: Record<string, unknown>, options: { key?: KeyLike; header?: Record<string, unknown> } = {}): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: exchangeKey.kid, typ: 'at+jwt', ...options.header })
      .sign(options.key ?? exchangeKey.privateKey);
  }

  const listParts = (token?: string, headers?: Record<string, string>) => http(exchange, 'GET', '/v1/parts', { token, headers });
  const registerOrganization = async (token?: string, headers?: Record<string, string>) =>
    http(exchange, 'POST', '/v1/organizations', {
      token,
      headers,
      body: { name: `Intruder ${randomUUID()}`, roles: ['supplier'], jwks: { keys: [(await generateParticipantKey('EdDSA')).publicJwk] } },
    });

  /**
   * Runs one attack: records its row (observed from the real answer and the events it appended)
   * before asserting that it was refused as `status` problem+json with `code`, and no event.
   */
  async function attack(name: string, status: number, code: string, call: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const expected = `${status} ${code}, no event`;
    let answer!: HttpAnswer;
    const body = await refused(exchange, status, async () => {
      const before = await exchange.eventCount();
      answer = await call();
      recordAttack({ attack: name, expected, observed: describeAnswer(answer, (await exchange.eventCount()) - before) });
      return answer;
    });
    expect(body.code).toBe(code);
    if (status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="battery-exchange"/);
    return answer;
  }

  /** The same bad token on the participant endpoint and on the operator endpoint. */
  async function onBothEndpoints(name: string, code: string, token: string | (() => Promise<string>)) {
    const tokenOf = typeof token === 'string' ? async () => token : token;
    await attack(`token: ${name} (GET /v1/parts)`, 401, code, async () => listParts(await tokenOf()));
    await attack(`token: ${name} (POST /v1/organizations)`, 401, code, async () => registerOrganization(await tokenOf()));
  }

  describe('controls', () => {
    it('accepts a token forged with the exchange key and the right claims, and the issued token', async () => {
      expect((await listParts(await forge(claims()))).status).toBe(200);
      expect((await listParts(supplier.token)).status).toBe(200);
      expect((await registerOrganization(exchange.operatorToken)).status).toBe(201);
    });
  });

  describe('claims checked beyond the signature (tokens signed with the exchange key)', () => {
    it('refuses an expired token', async () => {
      await onBothEndpoints('expired (exp 1 h ago)', 'token-expired', () =>
        forge(claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })),
      );
      await onBothEndpoints('expired beyond the 5 s tolerance (exp 30 s ago)', 'token-expired', () =>
        forge(claims({ exp: now() - 30, iat: now() - 90, nbf: now() - 90 })),
      );
    });

    it('refuses a token that is not valid yet', async () => {
      await onBothEndpoints('not yet valid (nbf in 1 h)', 'token-not-yet-valid', () => forge(claims({ nbf: now() + 3600, exp: now() + 7200 })));
    });

    it('refuses a token for another audience or from another issuer', async () => {
      await onBothEndpoints('wrong audience', 'token-wrong-audience', () => forge(claims({ aud: 'urn:some-other-api' })));
      await onBothEndpoints('wrong issuer', 'token-wrong-issuer', () => forge(claims({ iss: 'https://attacker.example' })));
    });

    it('refuses a token without exp, or with a typ other than at+jwt', async () => {
      await attack('token: no exp claim (GET /v1/parts)', 401, 'token-invalid', async () => listParts(await forge(claims({ exp: undefined }))));
      await attack('token: typ JWT instead of at+jwt (GET /v1/parts)', 401, 'token-invalid', async () =>
        listParts(await forge(claims(), { header: { typ: 'JWT' } })),
      );
    });

    it('refuses a token for an organization that does not exist', async () => {
      await onBothEndpoints('for an organization that does not exist', 'token-unknown-organization', () => forge(claims({ sub: randomUUID() })));
    });
  });

  describe('signatures the exchange did not make', () => {
    it("refuses a token signed by a fresh Ed25519 key under the exchange's kid, and under an unknown kid", async () => {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      await onBothEndpoints("foreign Ed25519 key under the exchange's kid", 'token-invalid', () => forge(claims(), { key: privateKey }));
      await onBothEndpoints('foreign Ed25519 key under an unknown kid', 'token-invalid', () =>
        forge(claims(), { key: privateKey, header: { kid: 'attacker-key-1' } }),
      );
    });

    it('refuses alg none and HS256 keyed with the exchange public key', async () => {
      await onBothEndpoints(
        'alg none',
        'token-invalid',
        unsecuredCompactByHand({ alg: 'none', kid: exchangeKey.kid, typ: 'at+jwt' }, JSON.stringify(claims())),
      );
      const hs = { alg: 'HS256', kid: exchangeKey.kid, typ: 'at+jwt' };
      await onBothEndpoints(
        'HS256 keyed with the exchange public key (raw x)',
        'token-invalid',
        hmacCompactByHand(hs, JSON.stringify(claims()), Buffer.from(exchangeKey.x, 'base64url')),
      );
      const published = (await http(exchange, 'GET', '/.well-known/jwks.json')).body.keys[0];
      await onBothEndpoints(
        'HS256 keyed with the exchange public JWK (JSON)',
        'token-invalid',
        hmacCompactByHand(hs, JSON.stringify(claims()), JSON.stringify(published)),
      );
    });

    it('refuses a token carrying its own key (embedded jwk) and an exchange receipt presented as a token', async () => {
      const attacker = await generateParticipantKey('EdDSA');
      const embedded = signCompactByHand(
        { alg: 'EdDSA', kid: attacker.kid, typ: 'at+jwt', jwk: attacker.publicJwk },
        JSON.stringify(claims()),
        attacker.privateJwk,
      );
      await attack('token: embedded jwk of the signer (GET /v1/parts)', 401, 'token-invalid', () => listParts(embedded));

      const { derivation, document } = footprintDraft({ issuer: supplier.id, partId, own: OWN, total: { ...OWN, value: '3' } });
      const submitted = await supplier.call('POST', '/v1/footprints', { jws: await supplier.sign(document, 'cfp+jws'), derivation });
      expect(submitted.status).toBe(201);
      await attack('token: an exchange receipt (same key, typ receipt+jws) as a token (GET /v1/parts)', 401, 'token-invalid', () =>
        listParts(submitted.body.receipt),
      );
    });

    it("refuses a participant's signed document presented as a token, garbage, and the operator credential with one character changed", async () => {
      const document = await supplier.sign({ sub: supplier.id, iss: ISSUER, aud: AUDIENCE, exp: now() + 600 }, 'at+jwt');
      await attack("token: a participant's own JWS with token claims (GET /v1/parts)", 401, 'token-invalid', () => listParts(document));
      await attack('token: garbage bearer value (GET /v1/parts)', 401, 'token-invalid', () => listParts('not-a-token'));
      const altered = `${exchange.operatorToken.slice(0, -1)}${exchange.operatorToken.endsWith('9') ? '8' : '9'}`;
      await attack('token: operator credential with one character changed (POST /v1/organizations)', 401, 'token-invalid', () =>
        registerOrganization(altered),
      );
    });
  });

  describe('no credential, or not a bearer credential', () => {
    it('refuses a missing Authorization header', async () => {
      await attack('token: no Authorization header (GET /v1/parts)', 401, 'token-missing', () => listParts());
      await attack('token: no Authorization header (POST /v1/organizations)', 401, 'token-missing', () => registerOrganization());
    });

    it('refuses malformed Authorization headers', async () => {
      const malformed: [string, string][] = [
        ['Basic credentials', `Basic ${Buffer.from(`${supplier.id}:secret`).toString('base64')}`],
        ['the token without a scheme', supplier.token],
        ['"Bearer" without a token', 'Bearer'],
        ['two tokens', `Bearer ${supplier.token} ${supplier.token}`],
      ];
      for (const [label, value] of malformed) {
        await attack(`token: malformed Authorization header, ${label} (GET /v1/parts)`, 401, 'token-malformed', () =>
          listParts(undefined, { authorization: value }),
        );
      }
      await attack('token: malformed Authorization header, Basic credentials (POST /v1/organizations)', 401, 'token-malformed', () =>
        registerOrganization(undefined, { authorization: `Basic ${Buffer.from('operator:x').toString('base64')}` }),
      );
    });
  });

  describe('valid tokens on endpoints their organization may not call (403)', () => {
    it("refuses a participant's token on the operator endpoint, even one whose claims say operator", async () => {
      await attack("role: a supplier's token on POST /v1/organizations", 403, 'role-not-allowed', () => registerOrganization(supplier.token));
      await attack("role: a regulator's token on POST /v1/organizations", 403, 'role-not-allowed', () => registerOrganization(regulator.token));
      // Roles come from the registry, not from the token: an exchange-signed token claiming "operator" changes nothing.
      await attack('role: exchange-signed token claiming roles ["operator"] on POST /v1/organizations', 403, 'role-not-allowed', async () =>
        registerOrganization(await forge(claims({ roles: ['operator'] }))),
      );
    });

    it('refuses a certifier acting as a supplier', async () => {
      await attack('role: certifier registers a part (POST /v1/parts)', 403, 'role-not-allowed', () =>
        certifier.call('POST', '/v1/parts', { partNumber: 'fake', name: 'fake', declaredUnit: 'kilogram' }),
      );
      const { document, derivation } = footprintDraft({ issuer: certifier.id, partId, own: OWN, total: { ...OWN, value: '3' } });
      await attack('role: certifier submits a footprint (POST /v1/footprints)', 403, 'role-not-allowed', async () =>
        certifier.call('POST', '/v1/footprints', { jws: await certifier.sign(document, 'cfp+jws'), derivation }),
      );
      const forged = await forge(claims({ sub: certifier.id, roles: ['supplier'] }));
      await attack('role: certifier with an exchange-signed token claiming roles ["supplier"] (POST /v1/parts)', 403, 'role-not-allowed', () =>
        http(exchange, 'POST', '/v1/parts', { token: forged, body: { partNumber: 'fake', name: 'fake', declaredUnit: 'kilogram' } }),
      );
    });

    it('refuses a regulator submitting a footprint', async () => {
      const { document, derivation } = footprintDraft({ issuer: regulator.id, partId, own: OWN, total: { ...OWN, value: '3' } });
      await attack('role: regulator submits a footprint (POST /v1/footprints)', 403, 'role-not-allowed', async () =>
        regulator.call('POST', '/v1/footprints', { jws: await regulator.sign(document, 'cfp+jws'), derivation }),
      );
    });
  });
});
