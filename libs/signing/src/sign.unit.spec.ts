import { canonicalJson } from '@exchange/domain/canonical';
import { decodeJwsUnverified, generateParticipantKey, signDocument, type ParticipantKey } from '@exchange/signing';

describe('signDocument', () => {
  let key: ParticipantKey;
  beforeAll(async () => {
    key = await generateParticipantKey('EdDSA');
  });
  const sign = (document: object) => signDocument(document, { ...key, typ: 'dd+jws' });

  it('signs exactly the canonical JSON of the document under the header { alg, kid, typ }', async () => {
    const document = { z: [3, 1], a: { y: '0.5', b: 'ä€😀' }, n: 1e21 };
    const [header, payload] = (await sign(document)).split('.');
    expect(Buffer.from(payload, 'base64url').toString('utf8')).toBe(canonicalJson(document));
    expect(Buffer.from(header, 'base64url').toString('utf8')).toBe(`{"alg":"EdDSA","kid":"${key.kid}","typ":"dd+jws"}`);
  });

  it('gives the same payload segment whatever the member order of the input', async () => {
    const first = decodeJwsUnverified(await sign({ a: 1, b: 2 }));
    const second = decodeJwsUnverified(await sign({ b: 2, a: 1 }));
    expect(first).toEqual(second);
  });

  it('refuses what is not a JSON object, and strings without a UTF-8 form', async () => {
    await expect(sign([1, 2])).rejects.toThrow(/JSON object/);
    await expect(sign({ a: '\ud800' })).rejects.toThrow(/lone surrogates/);
  });

  it('refuses a public key and a key of the other algorithm', async () => {
    await expect(signDocument({ a: 1 }, { ...key, privateJwk: key.publicJwk, typ: 'dd+jws' })).rejects.toThrow(/private key/);
    await expect(signDocument({ a: 1 }, { ...key, alg: 'ES256', typ: 'dd+jws' })).rejects.toThrow();
  });
});
