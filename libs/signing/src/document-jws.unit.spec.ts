import { canonicalJson, sha256Base64Url } from '@exchange/domain/canonical';
import { compactVerify, errors, importJWK } from 'jose';
import { decodeJwsUnverified, signatureErrorFromJose, verifyDocumentJws, type VerifyDocumentOptions } from './document-jws';
import { SignatureError, type SignatureErrorCode } from './errors';
import { generateParticipantKey, type ParticipantKey, type PublicJwk } from './jwk';
import { signDocument } from './sign';
import { hasLowS } from './ecdsa-low-s';
import { base64UrlOf, hmacCompactByHand, signCompactByHand, unsecuredCompactByHand, withMirroredS } from './testing/hand-made-jws';

const TYP = 'cfp+jws';
const document = { id: '5f0c7a52-6f0e-4d3a-9a43-8d1c1b3c2a10', issuer: 'org-1', pcf: { total: '12.5' }, name: 'Zürich €' };

let victim: ParticipantKey; // EdDSA
let victimEc: ParticipantKey; // ES256
let attacker: ParticipantKey;

beforeAll(async () => {
  [victim, victimEc, attacker] = await Promise.all([
    generateParticipantKey('EdDSA'),
    generateParticipantKey('ES256'),
    generateParticipantKey('EdDSA'),
  ]);
});

function options(keys: PublicJwk[] = [victim.publicJwk, victimEc.publicJwk]): VerifyDocumentOptions {
  const byKid = new Map(keys.map((key) => [key.kid, key]));
  return { expectedTyp: TYP, resolveKey: (kid) => byKid.get(kid) };
}

async function refusal(jws: string, verifyOptions = options()): Promise<SignatureErrorCode> {
  const error: unknown = await verifyDocumentJws(jws, verifyOptions).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof SignatureError)) throw new Error(`expected a SignatureError, got ${String(error)}`);
  return error.code;
}

const header = (extra: object = {}) => ({ alg: 'EdDSA', kid: victim.kid, typ: TYP, ...extra });
const byVictim = (extra: object = {}, payload = canonicalJson(document)) => signCompactByHand(header(extra), payload, victim.privateJwk);

describe('verifyDocumentJws', () => {
  describe('round trip', () => {
    it.each([
      ['EdDSA', () => victim],
      ['ES256', () => victimEc],
    ])('verifies a document signed with %s', async (_alg, key) => {
      const { privateJwk, kid, alg } = key();
      const jws = await signDocument(document, { privateJwk, kid, alg, typ: TYP });
      const verified = await verifyDocumentJws(jws, options());
      expect(verified.header).toEqual({ alg, kid, typ: TYP });
      expect(verified.payload).toEqual(document);
      expect(verified.payloadText).toBe(canonicalJson(document));
      expect(verified.payloadSha256).toBe(sha256Base64Url(Buffer.from(canonicalJson(document), 'utf8')));
      expect(verified.payloadSha256).not.toBe(sha256Base64Url(jws.split('.')[1]));
    });

    it('accepts a hand-made JWS with the same rules (interoperability)', async () => {
      await expect(verifyDocumentJws(byVictim(), options())).resolves.toMatchObject({ payload: document });
    });
  });

  describe('checkPayload', () => {
    it('runs on the parsed payload before the signature is checked, so its refusal wins over a bad signature', async () => {
      const seen: unknown[] = [];
      const refuse = (payload: Record<string, unknown>) => {
        seen.push(payload);
        throw new Error('another issuer');
      };
      const forged = byVictim().replace(/\.[^.]+$/, `.${base64UrlOf(new Uint8Array(64))}`);
      await expect(verifyDocumentJws(forged, { ...options(), checkPayload: refuse })).rejects.toThrow('another issuer');
      expect(seen).toEqual([document]);
    });
  });

  describe('high-s-signature: one payload, one ES256 JWS', () => {
    const signatureOf = (jws: string) => Buffer.from(jws.split('.')[2]!, 'base64url');

    it('signs ES256 documents in low-S form only', async () => {
      const { privateJwk, kid, alg } = victimEc;
      const signed = await Promise.all(Array.from({ length: 32 }, () => signDocument(document, { privateJwk, kid, alg, typ: TYP })));
      expect(signed.filter((jws) => !hasLowS(signatureOf(jws)))).toEqual([]);
    });

    it('refuses the high-S twin of a valid ES256 JWS, which jose alone would accept', async () => {
      const { privateJwk, kid, alg } = victimEc;
      const lowS = await signDocument(document, { privateJwk, kid, alg, typ: TYP });
      const highS = withMirroredS(lowS);
      expect(hasLowS(signatureOf(highS))).toBe(false);
      await expect(compactVerify(highS, await importJWK(victimEc.publicJwk, 'ES256'))).resolves.toBeDefined();
      await expect(verifyDocumentJws(lowS, options())).resolves.toMatchObject({ payload: document });
      expect(await refusal(highS)).toBe('high-s-signature');
    });
  });

  describe('malformed-jws', () => {
    const payload = base64UrlOf(canonicalJson(document));
    it.each([
      ['an empty string', () => ''],
      ['two segments', () => byVictim().split('.').slice(0, 2).join('.')],
      ['four segments', () => `${byVictim()}.AAAA`],
      ['non-base64url characters', () => byVictim().replace('.', '.+')],
      ['a non-canonical base64url segment', () => `${base64UrlOf(header())}B.${payload}.AAAA`],
      ['a header that is not JSON', () => `${base64UrlOf('not json')}.${payload}.AAAA`],
      ['a header that is a JSON array', () => `${base64UrlOf('["EdDSA"]')}.${payload}.AAAA`],
      ['a header that is not UTF-8', () => `${base64UrlOf(Buffer.from([0x7b, 0xff, 0x7d]))}.${payload}.AAAA`],
      ['a non-string', () => 42 as unknown as string],
    ])('refuses %s', async (_label, makeJws) => {
      expect(await refusal(makeJws())).toBe('malformed-jws');
    });

    it.each([
      ['alg none first, EdDSA last', (kid: string) => `{"alg":"none","kid":${kid},"typ":"${TYP}","alg":"EdDSA"}`],
      ['another typ first', (kid: string) => `{"alg":"EdDSA","typ":"dd+jws","kid":${kid},"typ":"${TYP}"}`],
      ['another kid first', (kid: string) => `{"alg":"EdDSA","kid":"someone-else","typ":"${TYP}","kid":${kid}}`],
      ['the same name escaped', (kid: string) => `{"alg":"EdDSA","kid":${kid},"typ":"${TYP}","\\u0061lg":"EdDSA"}`],
    ])('refuses a protected header with duplicate parameter names (%s), even under a genuine signature', async (_label, headerText) => {
      const jws = signCompactByHand(headerText(JSON.stringify(victim.kid)), canonicalJson(document), victim.privateJwk);
      expect(await refusal(jws)).toBe('malformed-jws');
      await expect(verifyDocumentJws(jws, options())).rejects.toThrow('repeats a parameter name');
    });

    it('accepts the same names in different objects of the header (control)', async () => {
      const jws = signCompactByHand(
        `{"alg":"EdDSA","kid":${JSON.stringify(victim.kid)},"typ":"${TYP}","x-a":{"alg":1,"kid":[{"alg":2}]}}`,
        canonicalJson(document),
        victim.privateJwk,
      );
      await expect(verifyDocumentJws(jws, options())).resolves.toMatchObject({ payload: document });
    });

    describe('JWS JSON serialization: only the compact one is accepted, so a good signature cannot vouch for a bad one', () => {
      function serializations() {
        const [protectedHeader, payload, signature] = byVictim().split('.');
        const good = { protected: protectedHeader, signature };
        const bad = {
          protected: base64UrlOf(header()),
          signature: signCompactByHand(header(), canonicalJson(document), attacker.privateJwk).split('.')[2],
        };
        return { general: { payload, signatures: [good, bad] }, reversed: { payload, signatures: [bad, good] }, flattened: { payload, ...good } };
      }

      it.each([
        ['general, good signature first', () => JSON.stringify(serializations().general)],
        ['general, bad signature first', () => JSON.stringify(serializations().reversed)],
        ['general, with whitespace before it', () => `\n ${JSON.stringify(serializations().general)}`],
        ['flattened, one good signature', () => JSON.stringify(serializations().flattened)],
        ['general, as an object', () => serializations().general as unknown as string],
      ])('refuses %s as malformed-jws, naming the serialization', async (_label, makeJws) => {
        expect(await refusal(makeJws())).toBe('malformed-jws');
        await expect(verifyDocumentJws(makeJws(), options())).rejects.toThrow('JWS JSON serialization');
      });
    });
  });

  describe('unsupported-algorithm', () => {
    it('refuses alg "none", with or without a signature', async () => {
      const unsecured = unsecuredCompactByHand(header({ alg: 'none' }), canonicalJson(document));
      expect(await refusal(unsecured)).toBe('unsupported-algorithm');
      expect(await refusal(`${unsecured}${byVictim().split('.')[2]}`)).toBe('unsupported-algorithm');
    });

    it.each(['HS256', 'HS384', 'HS512'])('refuses %s keyed with the victim public key (algorithm confusion)', async (alg) => {
      const publicKeyBytes = Buffer.from(victim.publicJwk.x, 'base64url');
      const payload = canonicalJson(document);
      expect(await refusal(hmacCompactByHand(header({ alg }), payload, publicKeyBytes))).toBe('unsupported-algorithm');
      const jwkText = JSON.stringify(victim.publicJwk);
      expect(await refusal(hmacCompactByHand(header({ alg }), payload, jwkText))).toBe('unsupported-algorithm');
    });

    it.each(['RS256', 'PS256', 'ES384', 'ES256K', 'Ed25519', 'eddsa', '', 7, null, undefined])('refuses alg %p', async (alg) => {
      expect(await refusal(byVictim({ alg }))).toBe('unsupported-algorithm');
    });
  });

  it.each([
    ['another document type', { typ: 'dd+jws' }],
    ['a differently cased typ', { typ: 'CFP+JWS' }],
    ['typ JWT', { typ: 'JWT' }],
    ['no typ', { typ: undefined }],
  ])('refuses %s as wrong-typ', async (_label, extra) => {
    expect(await refusal(byVictim(extra))).toBe('wrong-typ');
  });

  it.each([undefined, '', 12])('refuses kid %p as missing-kid', async (kid) => {
    expect(await refusal(byVictim({ kid }))).toBe('missing-kid');
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'])('refuses header parameter %s as embedded-key-refused', async (parameter) => {
    const value = parameter === 'jwk' ? attacker.publicJwk : parameter === 'x5c' ? ['MIIB'] : 'https://attacker.example/key';
    const jws = signCompactByHand(header({ kid: attacker.kid, [parameter]: value }), canonicalJson(document), attacker.privateJwk);
    expect(await refusal(jws, options([victim.publicJwk, attacker.publicJwk]))).toBe('embedded-key-refused');
  });

  it('refuses any crit as unsupported-crit, b64 included', async () => {
    expect(await refusal(byVictim({ crit: ['exp'], exp: 1 }))).toBe('unsupported-crit');
    expect(await refusal(byVictim({ crit: ['b64'], b64: false }))).toBe('unsupported-crit');
    expect(await refusal(byVictim({ crit: [] }))).toBe('unsupported-crit');
  });

  it('refuses b64 without crit as unsupported-b64', async () => {
    expect(await refusal(byVictim({ b64: true }))).toBe('unsupported-b64');
    expect(await refusal(byVictim({ b64: false }))).toBe('unsupported-b64');
  });

  it('refuses a kid that does not resolve as unknown-key', async () => {
    const jws = signCompactByHand(header({ kid: attacker.kid }), canonicalJson(document), attacker.privateJwk);
    expect(await refusal(jws)).toBe('unknown-key');
  });

  describe('key-algorithm-mismatch', () => {
    it('refuses EdDSA with a P-256 key and ES256 with an Ed25519 key', async () => {
      expect(await refusal(byVictim({ kid: victimEc.kid }))).toBe('key-algorithm-mismatch');
      const es256OnEd25519 = signCompactByHand(header({ alg: 'ES256' }), canonicalJson(document), victimEc.privateJwk);
      expect(await refusal(es256OnEd25519)).toBe('key-algorithm-mismatch');
    });

    it('refuses a key whose own alg disagrees with the header', async () => {
      const mislabelled = { ...victim.publicJwk, alg: 'ES256' } as unknown as PublicJwk;
      expect(await refusal(byVictim(), options([mislabelled]))).toBe('key-algorithm-mismatch');
    });
  });

  describe('bad-signature', () => {
    it('refuses a signature made by another key carrying the victim kid', async () => {
      const forged = signCompactByHand(header(), canonicalJson(document), attacker.privateJwk);
      expect(await refusal(forged)).toBe('bad-signature');
      const forgedViaJose = await signDocument(document, { ...attacker, kid: victim.kid, typ: TYP });
      expect(await refusal(forgedViaJose)).toBe('bad-signature');
    });

    it('refuses a payload or header swapped under a valid signature', async () => {
      const [h, , s] = byVictim().split('.');
      const otherPayload = base64UrlOf(canonicalJson({ ...document, pcf: { total: '1' } }));
      expect(await refusal(`${h}.${otherPayload}.${s}`)).toBe('bad-signature');
      const otherHeader = base64UrlOf({ typ: TYP, alg: 'EdDSA', kid: victim.kid });
      expect(await refusal(`${otherHeader}.${byVictim().split('.')[1]}.${s}`)).toBe('bad-signature');
    });

    it('refuses an empty, truncated or DER-sized ES256 signature', async () => {
      const jws = await signDocument(document, { ...victimEc, typ: TYP });
      const [h, p, s] = jws.split('.');
      expect(await refusal(`${h}.${p}.`)).toBe('bad-signature');
      expect(await refusal(`${h}.${p}.${s.slice(0, 40)}`)).toBe('bad-signature');
      expect(await refusal(`${h}.${p}.${base64UrlOf(Buffer.alloc(72, 1))}`)).toBe('bad-signature');
    });
  });

  describe('payload rules (checked after the signature)', () => {
    it.each([
      ['not UTF-8', Buffer.from([0x7b, 0x7d, 0xff])],
      ['not JSON', 'hello'],
      ['empty', ''],
      ['a JSON array', '[1,2]'],
      ['JSON null', 'null'],
      ['a JSON string', '"doc"'],
      ['prefixed with a BOM', '\uFEFF{"a":1}'],
      ['holding a lone surrogate', '{"a":"\\ud800"}'],
    ])('refuses a payload that is %s as malformed-payload', async (_label, payload) => {
      expect(await refusal(byVictim({}, payload as string))).toBe('malformed-payload');
    });

    it.each([
      ['unsorted keys', '{"b":1,"a":2}'],
      ['whitespace', '{"a": 1}'],
      ['a trailing newline', '{"a":1}\n'],
      ['a non-canonical number', '{"a":1.0}'],
      ['an exponent in the wrong form', '{"a":1E21}'],
      ['an unnecessary escape', '{"a":"\\u0041"}'],
      ['duplicate keys', '{"a":1,"a":1}'],
      ['duplicate keys with different values', '{"a":1,"a":2}'],
    ])('refuses a payload with %s as payload-not-canonical', async (_label, payload) => {
      expect(await refusal(byVictim({}, payload))).toBe('payload-not-canonical');
    });
  });
});

describe('decodeJwsUnverified', () => {
  it('returns header and payload without checking anything else', () => {
    const forged = unsecuredCompactByHand({ alg: 'none' }, '{"a":1}');
    expect(decodeJwsUnverified(forged)).toEqual({ header: { alg: 'none' }, payload: { a: 1 } });
  });

  it('still refuses what it cannot decode', () => {
    expect(() => decodeJwsUnverified('a.b')).toThrow(expect.objectContaining({ code: 'malformed-jws' }));
    expect(() => decodeJwsUnverified(unsecuredCompactByHand({ alg: 'none' }, 'nope'))).toThrow(
      expect.objectContaining({ code: 'malformed-payload' }),
    );
  });
});

describe('signatureErrorFromJose', () => {
  it.each([
    [new errors.JWSSignatureVerificationFailed(), 'bad-signature'],
    [new errors.JOSEAlgNotAllowed('alg'), 'unsupported-algorithm'],
    [new errors.JOSENotSupported('alg'), 'unsupported-algorithm'],
    [new errors.JWSInvalid('bad'), 'malformed-jws'],
    [new errors.JWKInvalid('bad'), 'key-algorithm-mismatch'],
    [new errors.JOSEError('other'), 'malformed-jws'],
  ])('maps %p to %s', (joseError, code) => {
    expect(signatureErrorFromJose(joseError)).toEqual(expect.objectContaining({ code }));
  });

  it('lets errors that are not jose errors pass through', () => {
    const bug = new TypeError('bug');
    expect(signatureErrorFromJose(bug)).toBe(bug);
  });
});
