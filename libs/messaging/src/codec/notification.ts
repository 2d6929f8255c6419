import type { Notification } from '@exchange/access';
import type { EventType } from '@exchange/domain';
import { checkedString, decodeOrThrow, messageTypeOf, OneofCases } from './oneof-cases';
import { exchangeType } from './proto-root';
import { fromProtoObject, TO_OBJECT_OPTIONS, toProtoObject } from './proto-mapper';

/** The event types some organization is told about (libs/access/src/notifications.ts). */
export type NotifiedEventType = Extract<
  EventType,
  | 'request.created'
  | 'request.answered'
  | 'request.rejected'
  | 'grant.created'
  | 'grant.revoked'
  | 'footprint.input-superseded'
  | 'attestation.created'
  | 'submission.received'
  | 'submission.acknowledged'
>;

/** Notified event type → its field in `exchange.v1.Notification`'s `oneof notice`. */
export const NOTIFICATION_NOTICE_FIELDS: Readonly<Record<NotifiedEventType, string>> = {
  'request.created': 'requestCreated',
  'request.answered': 'requestAnswered',
  'request.rejected': 'requestRejected',
  'grant.created': 'grantCreated',
  'grant.revoked': 'grantRevoked',
  'footprint.input-superseded': 'footprintInputSuperseded',
  'attestation.created': 'attestationCreated',
  'submission.received': 'submissionReceived',
  'submission.acknowledged': 'submissionAcknowledged',
};

/** One organization's notice of one event, as it goes to `exchange.inbox.<recipientOrgId>`. */
export interface InboxNotification extends Notification {
  eventId: string;
  /** When the exchange recorded the event (RFC 3339). */
  occurredAt: string;
}

const NOTICE_CASES = new OneofCases<NotifiedEventType>('Notification', NOTIFICATION_NOTICE_FIELDS);

export function encodeNotification(notification: InboxNotification): Uint8Array {
  const type = exchangeType('Notification');
  const field = NOTICE_CASES.fieldFor(notification.type);
  const object = {
    eventId: checkedString(notification.eventId, 'eventId'),
    type: notification.type,
    occurredAt: checkedString(notification.occurredAt, 'occurredAt'),
    recipientOrgId: checkedString(notification.recipientOrgId, 'recipientOrgId'),
    [field]: toProtoObject(messageTypeOf(type, field), notification.data, notification.type),
  };
  return type.encode(type.fromObject(object)).finish();
}

export function decodeNotification(bytes: Uint8Array): InboxNotification {
  const type = exchangeType('Notification');
  const object = type.toObject(decodeOrThrow(type, bytes), TO_OBJECT_OPTIONS);
  const eventType = NOTICE_CASES.nameFor(object['notice'], object['type']);
  const field = NOTICE_CASES.fieldFor(eventType);
  return {
    eventId: object['eventId'],
    type: eventType,
    occurredAt: object['occurredAt'],
    recipientOrgId: object['recipientOrgId'],
    data: fromProtoObject(messageTypeOf(type, field), object[field], eventType),
  };
}
