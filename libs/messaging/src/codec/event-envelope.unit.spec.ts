import { canonicalJson, EVENT_TYPES, type DomainEvent } from '@exchange/domain';
import { CodecError } from './codec-error';
import { decodeEventEnvelope, encodeEventEnvelope, ENVELOPE_EVENT_FIELDS } from './event-envelope';
import { exchangeType } from './proto-root';
import { SAMPLE_EVENT_VARIANTS, sampleEvent, storedSample } from './testing/sample-events';

function roundTrip(event: DomainEvent, index = 0) {
  const stored = storedSample(event, index);
  const bytes = encodeEventEnvelope(stored);
  return { stored, bytes, decoded: decodeEventEnvelope(bytes) };
}

describe('event envelope codec', () => {
  it.each(EVENT_TYPES.map((type, index) => [type, index] as const))('%s round-trips losslessly and byte-exactly', (type, index) => {
    const { stored, bytes, decoded } = roundTrip(sampleEvent(type), index);

    expect(decoded).toStrictEqual(stored);
    expect(canonicalJson(decoded.data)).toBe(canonicalJson(stored.data));
    expect(Buffer.from(encodeEventEnvelope(decoded)).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each(SAMPLE_EVENT_VARIANTS.map((event, index) => [event.type, index, event] as const))(
    'variant %s #%i (optional fields absent, empty lists, zeros) round-trips losslessly',
    (_type, index, event) => {
      const { stored, decoded } = roundTrip(event, index);
      expect(decoded).toStrictEqual(stored);
    },
  );

  it('has an Envelope oneof case, carrying a message, for every event type', () => {
    const envelope = exchangeType('Envelope');
    const oneofCases = envelope.oneofs['event']!.oneof;
    for (const type of EVENT_TYPES) {
      const field = ENVELOPE_EVENT_FIELDS[type];
      expect({ type, hasCase: oneofCases.includes(field) }).toEqual({ type, hasCase: true });
      expect(envelope.fields[field]!.resolvedType).toHaveProperty('fieldsArray');
    }
    expect(new Set(Object.values(ENVELOPE_EVENT_FIELDS)).size).toBe(EVENT_TYPES.length);
    expect(oneofCases).toHaveLength(EVENT_TYPES.length);
  });

  it('keeps positions beyond 2^53 and large revisions exact', () => {
    const stored = { ...storedSample(sampleEvent('part.registered')), position: 18_446_744_073_709_551_615n, revision: Number.MAX_SAFE_INTEGER };
    expect(decodeEventEnvelope(encodeEventEnvelope(stored))).toStrictEqual(stored);
  });

  describe('refuses what it cannot carry losslessly', () => {
    const stored = storedSample(sampleEvent('request.created'));
    const withData = (data: Record<string, unknown>) => ({ ...stored, data: { ...stored.data, ...data } });

    it('an unknown event type, with a clear error', () => {
      expect(() => encodeEventEnvelope({ ...stored, type: 'cobalt.mined' })).toThrow(
        new CodecError('unknown event type "cobalt.mined": exchange.v1.Envelope has no message for it'),
      );
    });

    it('a domain field the proto does not have', () => {
      expect(() => encodeEventEnvelope(withData({ priority: 'high' }))).toThrow(
        'request.created.priority: has no field in exchange.v1.RequestCreated',
      );
    });

    it('a missing required field, a wrong scalar kind, an unknown enum value', () => {
      const { requestId: _omitted, ...withoutId } = stored.data;
      expect(() => encodeEventEnvelope({ ...stored, data: withoutId })).toThrow('request.created.requestId: is required');
      expect(() => encodeEventEnvelope(withData({ createdAt: 20260301 }))).toThrow('request.created.createdAt: must be a string');
      expect(() => encodeEventEnvelope(withData({ kind: 'lca' }))).toThrow('"lca" is not a RequestKind');
    });

    it('a version that is not a uint32, and a position that is not a bigint', () => {
      const answered = storedSample(sampleEvent('footprint.input-superseded'));
      expect(() => encodeEventEnvelope({ ...answered, data: { ...answered.data, version: 1.5 } })).toThrow(CodecError);
      expect(() => encodeEventEnvelope({ ...answered, data: { ...answered.data, version: -1 } })).toThrow(CodecError);
      expect(() => encodeEventEnvelope({ ...stored, position: 5 as unknown as bigint })).toThrow('position: must be a non-negative bigint');
    });

    it('bytes that are not an envelope, or whose type and case disagree', () => {
      expect(() => decodeEventEnvelope(Uint8Array.from([0xff, 0xff, 0xff]))).toThrow(CodecError);
      const envelope = exchangeType('Envelope');
      const lying = envelope.encode(envelope.fromObject({ eventId: 'e', type: 'grant.revoked', requestRejected: { requestId: 'r' } })).finish();
      expect(() => decodeEventEnvelope(lying)).toThrow('the Envelope says type "grant.revoked" but carries request.rejected');
      const empty = envelope.encode(envelope.fromObject({ eventId: 'e', type: 'cobalt.mined' })).finish();
      expect(() => decodeEventEnvelope(empty)).toThrow('the Envelope carries nothing this codec knows (type "cobalt.mined")');
    });

    it('a decoded message that lacks a required enum or sub-message', () => {
      const envelope = exchangeType('Envelope');
      const object = { eventId: 'e', type: 'request.answered', requestAnswered: { requestId: 'r' } };
      expect(() => decodeEventEnvelope(envelope.encode(envelope.fromObject(object)).finish())).toThrow(
        'DOCUMENT_TYPE_UNSPECIFIED is not a known DocumentType',
      );
      const grant = { eventId: 'e', type: 'grant.revoked', grantRevoked: { grantId: 'g' } };
      expect(() => decodeEventEnvelope(envelope.encode(envelope.fromObject(grant)).finish())).toThrow('grant.revoked.resource: is missing');
    });
  });
});
