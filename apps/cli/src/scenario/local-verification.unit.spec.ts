import { canonicalJson, sha256Base64Url } from '@exchange/domain/canonical';
import { generateKey, publicJwks, signWith, type KeyFile } from '../keys';
import { signDocument } from '@exchange/signing';
import { verifyDeclarationLocally } from './local-verification';

describe('a regulator’s own check of a declaration and its receipt', () => {
  const declaration = { id: 'sub-1', issuer: 'mirai', cfpPerFunctionalUnit: '0.062498' };
  let issuerKey: KeyFile;
  let exchangeKey: KeyFile;
  let jws: string;

  const receiptFor = (payloadSha256: string, key: KeyFile = exchangeKey) =>
    signDocument(
      { documentId: 'sub-1', version: 1, payloadSha256, position: '42', receivedAt: '2025-01-01T00:00:00.000Z' },
      { privateJwk: key.privateJwk, kid: key.kid, alg: key.alg, typ: 'receipt+jws' },
    );

  beforeAll(async () => {
    issuerKey = await generateKey('EdDSA');
    exchangeKey = await generateKey('ES256');
    jws = await signWith(issuerKey, declaration, 'declaration+jws');
  });

  it('holds for an honest declaration and receipt', async () => {
    const payloadSha256 = sha256Base64Url(canonicalJson(declaration));
    const result = await verifyDeclarationLocally(
      { submissionId: 'sub-1', issuerOrgId: 'mirai', jws, receipt: await receiptFor(payloadSha256) },
      publicJwks(issuerKey),
      publicJwks(exchangeKey),
    );
    expect(result).toEqual({ declarationVerified: true, receiptVerified: true, payloadSha256, problems: [] });
  });

  it('fails when the declaration was signed by a key the issuer never published', async () => {
    const stranger = await generateKey('EdDSA');
    const result = await verifyDeclarationLocally(
      { submissionId: 'sub-1', issuerOrgId: 'mirai', jws: await signWith(stranger, declaration, 'declaration+jws'), receipt: await receiptFor('x') },
      publicJwks(issuerKey),
      publicJwks(exchangeKey),
    );
    expect(result.declarationVerified).toBe(false);
    expect(result.receiptVerified).toBe(false);
  });

  it('fails when the receipt speaks of other bytes or was not signed by the exchange', async () => {
    const forged = await verifyDeclarationLocally(
      { submissionId: 'sub-1', issuerOrgId: 'mirai', jws, receipt: await receiptFor(sha256Base64Url(canonicalJson(declaration)), issuerKey) },
      publicJwks(issuerKey),
      publicJwks(exchangeKey),
    );
    expect(forged).toMatchObject({ declarationVerified: true, receiptVerified: false });
    const otherBytes = await verifyDeclarationLocally(
      { submissionId: 'sub-1', issuerOrgId: 'mirai', jws, receipt: await receiptFor('another-hash') },
      publicJwks(issuerKey),
      publicJwks(exchangeKey),
    );
    expect(otherBytes.receiptVerified).toBe(false);
    expect(otherBytes.problems).toEqual([expect.stringContaining('receipt payloadSha256 is another-hash')]);
  });

  it('fails when the declaration names another issuer than the one who submitted it', async () => {
    const result = await verifyDeclarationLocally(
      { submissionId: 'sub-1', issuerOrgId: 'someone-else', jws, receipt: await receiptFor('x') },
      publicJwks(issuerKey),
      publicJwks(exchangeKey),
    );
    expect(result.declarationVerified).toBe(false);
  });
});
