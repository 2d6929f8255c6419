export { CodecError } from './codec-error';
export { encodeEventEnvelope, decodeEventEnvelope, ENVELOPE_EVENT_FIELDS, type EventEnvelope, type StoredEventLike } from './event-envelope';
export { encodeNotification, decodeNotification, NOTIFICATION_NOTICE_FIELDS, type InboxNotification, type NotifiedEventType } from './notification';
export { signEnvelope, verifySignedEnvelope, INBOX_TYP, type VerificationJwk } from './signed-envelope';
export { exchangeProtoRoot, protoDirectory } from './proto-root';
