import { ExchangeKeyRing, SignatureError, type SignatureErrorCode } from '@exchange/signing';
import { exportJWK, FlattenedSign, generateKeyPair } from 'jose';
import { encodeNotification, type InboxNotification } from './notification';
import { exchangeType } from './proto-root';
import { INBOX_TYP, signEnvelope, verifySignedEnvelope } from './signed-envelope';

const NOTIFICATION: InboxNotification = {
  eventId: '0190f0a4-7c1e-7d3a-9b1e-000000000042',
  type: 'request.created',
  occurredAt: '2026-03-01T10:00:00.000Z',
  recipientOrgId: 'katanga-cobalt',
  data: { requestId: 'req-0001', kind: 'cfp', requesterOrgId: 'kanto-cathode', supplierPartId: 'coso4', dueDate: '2026-04-30' },
};

function envelopeOf(payload: Uint8Array, signature: string): Uint8Array {
  const type = exchangeType('SignedEnvelope');
  return type.encode(type.fromObject({ payload, signature })).finish();
}

function partsOf(bytes: Uint8Array): { payload: Uint8Array; signature: string } {
  const type = exchangeType('SignedEnvelope');
  return type.toObject(type.decode(bytes), { bytes: Uint8Array }) as { payload: Uint8Array; signature: string };
}

/** A detached JWS over `payload` made with a key outside the ring, under whatever header the test wants. */
async function forgedSignature(
  payload: Uint8Array,
  header: Record<string, unknown>,
): Promise<{ signature: string; publicJwk: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jws = await new FlattenedSign(payload).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(privateKey);
  return { signature: `${jws.protected}..${jws.signature}`, publicJwk: { ...(await exportJWK(publicKey)), kid: header['kid'] } };
}

async function expectRefusal(verifying: Promise<unknown>, code: SignatureErrorCode): Promise<void> {
  await expect(verifying).rejects.toBeInstanceOf(SignatureError);
  await expect(verifying).rejects.toMatchObject({ code });
}

describe('signed inbox envelopes', () => {
  let ring: ExchangeKeyRing;
  let payload: Uint8Array;
  let signed: Uint8Array;

  beforeAll(async () => {
    ring = await ExchangeKeyRing.inMemory();
    payload = encodeNotification(NOTIFICATION);
    signed = await signEnvelope(ring, payload);
  });

  it('verifies with the exchange public JWKS and returns the notification', async () => {
    expect(await verifySignedEnvelope(signed, ring.publicJwks())).toStrictEqual(NOTIFICATION);
  });

  it('carries the encoded notification as payload and a detached compact JWS {alg, kid, typ}', () => {
    const { payload: carried, signature } = partsOf(signed);
    expect(Buffer.from(carried).equals(Buffer.from(payload))).toBe(true);
    const [header, emptyPayload, signatureSegment] = signature.split('.');
    expect(emptyPayload).toBe('');
    expect(signatureSegment).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: ring.currentKid, typ: INBOX_TYP });
  });

  it('refuses tampered payload bytes', async () => {
    const { signature } = partsOf(signed);
    const tampered = Uint8Array.from(payload);
    tampered[tampered.length - 1] ^= 0x01;
    await expectRefusal(verifySignedEnvelope(envelopeOf(tampered, signature), ring.publicJwks()), 'bad-signature');
  });

  it('refuses a signature made with another key under the exchange kid', async () => {
    const { signature } = await forgedSignature(payload, { kid: ring.currentKid, typ: INBOX_TYP });
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, signature), ring.publicJwks()), 'bad-signature');
  });

  it('refuses an unknown kid (another exchange key ring)', async () => {
    const otherRing = await ExchangeKeyRing.inMemory();
    await expectRefusal(verifySignedEnvelope(await signEnvelope(otherRing, payload), ring.publicJwks()), 'unknown-key');
  });

  it('refuses a missing or attached signature', async () => {
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, ''), ring.publicJwks()), 'malformed-jws');
    const { signature } = partsOf(signed);
    const [header, , signatureSegment] = signature.split('.');
    const attached = `${header}.${Buffer.from(payload).toString('base64url')}.${signatureSegment}`;
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, attached), ring.publicJwks()), 'malformed-jws');
  });

  it('refuses a wrong typ, another algorithm, an unencoded payload (b64: false), even when the key is known', async () => {
    const wrongTyp = await forgedSignature(payload, { kid: 'forger', typ: 'receipt+jws' });
    const jwks = { keys: [wrongTyp.publicJwk] };
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, wrongTyp.signature), jwks), 'wrong-typ');

    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'forger', typ: INBOX_TYP })).toString('base64url');
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, `${header}..c2ln`), jwks), 'unsupported-algorithm');

    const unencoded = await forgedSignature(payload, { kid: 'forger', typ: INBOX_TYP, b64: false, crit: ['b64'] });
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, unencoded.signature), { keys: [unencoded.publicJwk] }), 'unsupported-crit');
  });

  it('a forged signature verifies only against the forger key: the check is the key, not the format', async () => {
    const forged = await forgedSignature(payload, { kid: 'forger', typ: INBOX_TYP });
    expect(await verifySignedEnvelope(envelopeOf(payload, forged.signature), { keys: [forged.publicJwk] })).toStrictEqual(NOTIFICATION);
    await expectRefusal(verifySignedEnvelope(envelopeOf(payload, forged.signature), ring.publicJwks()), 'unknown-key');
  });

  it('refuses to sign bytes that are not a notification', async () => {
    await expect(signEnvelope(ring, Uint8Array.from([1, 2, 3]))).rejects.toThrow();
  });
});
