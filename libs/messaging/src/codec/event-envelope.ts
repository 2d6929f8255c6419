import type { DomainEvent, EventType } from '@exchange/domain';
import { CodecError } from './codec-error';
import { checkedString, decodeOrThrow, messageTypeOf, OneofCases } from './oneof-cases';
import { exchangeType } from './proto-root';
import { fromProtoObject, TO_OBJECT_OPTIONS, toProtoObject } from './proto-mapper';

/**
 * Stable event type name → its field in `exchange.v1.Envelope`'s `oneof event`. Typed over every
 * EventType, so a new event type without a proto message does not compile.
 */
export const ENVELOPE_EVENT_FIELDS: Readonly<Record<EventType, string>> = {
  'organization.registered': 'organizationRegistered',
  'organization.keys-rotated': 'organizationKeysRotated',
  'part.registered': 'partRegistered',
  'part.bom-set': 'partBomSet',
  'request.created': 'requestCreated',
  'request.answered': 'requestAnswered',
  'request.rejected': 'requestRejected',
  'footprint.submitted': 'footprintSubmitted',
  'footprint.input-superseded': 'footprintInputSuperseded',
  'attestation.created': 'attestationCreated',
  'dd-report.submitted': 'ddReportSubmitted',
  'grant.created': 'grantCreated',
  'grant.revoked': 'grantRevoked',
  'protected-data.read': 'protectedDataRead',
  'protected-data.read-refused': 'protectedDataReadRefused',
  'protected-data.bulk-read': 'protectedDataBulkRead',
  'submission.received': 'submissionReceived',
  'submission.acknowledged': 'submissionAcknowledged',
  'reaction.parked': 'reactionParked',
};

/** What encoding needs of a stored event; the event store's StoredEvent fits (its metadata does not travel). */
export interface StoredEventLike {
  id: string;
  /** Checked at run time: an event type without a proto message is a CodecError. */
  type: string;
  streamId: string;
  revision: number;
  position: bigint;
  recordedAt: string;
  data: unknown;
}

/** A stored domain event as it travels on `exchange.events`, typed by its event type. */
export type EventEnvelope = DomainEvent & Omit<StoredEventLike, 'type' | 'data'>;

const EVENT_CASES = new OneofCases<EventType>('Envelope', ENVELOPE_EVENT_FIELDS);

export function encodeEventEnvelope(stored: StoredEventLike): Uint8Array {
  const envelope = exchangeType('Envelope');
  const field = EVENT_CASES.fieldFor(stored.type);
  const object = {
    eventId: checkedString(stored.id, 'id'),
    type: stored.type,
    streamId: checkedString(stored.streamId, 'streamId'),
    revision: checkedRevision(stored.revision),
    position: checkedPosition(stored.position),
    recordedAt: checkedString(stored.recordedAt, 'recordedAt'),
    [field]: toProtoObject(messageTypeOf(envelope, field), stored.data, stored.type),
  };
  return envelope.encode(envelope.fromObject(object)).finish();
}

export function decodeEventEnvelope(bytes: Uint8Array): EventEnvelope {
  const envelope = exchangeType('Envelope');
  const object = envelope.toObject(decodeOrThrow(envelope, bytes), TO_OBJECT_OPTIONS);
  const type = EVENT_CASES.nameFor(object['event'], object['type']);
  const field = EVENT_CASES.fieldFor(type);
  const data: unknown = fromProtoObject(messageTypeOf(envelope, field), object[field], type);
  return {
    id: object['eventId'],
    type,
    streamId: object['streamId'],
    revision: decodedRevision(object['revision']),
    position: decodedPosition(object['position']),
    recordedAt: object['recordedAt'],
    data,
  } as EventEnvelope;
}

function checkedRevision(revision: unknown): string {
  if (!Number.isSafeInteger(revision) || (revision as number) < 0) throw new CodecError('must be a non-negative integer', 'revision');
  return String(revision);
}

function checkedPosition(position: unknown): string {
  if (typeof position !== 'bigint' || position < 0n) throw new CodecError('must be a non-negative bigint', 'position');
  return position.toString();
}

function decodedRevision(revision: unknown): number {
  const value = Number(revision);
  if (!Number.isSafeInteger(value)) throw new CodecError(`${String(revision)} is beyond a safe integer`, 'revision');
  return value;
}

function decodedPosition(position: unknown): bigint {
  if (typeof position !== 'string' || !/^(0|[1-9]\d*)$/.test(position)) throw new CodecError('must be a decimal string', 'position');
  return BigInt(position);
}
