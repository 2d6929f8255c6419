import { notificationsFor } from '@exchange/access';
import { EVENT_TYPES } from '@exchange/domain';
import { CodecError } from './codec-error';
import { decodeNotification, encodeNotification, NOTIFICATION_NOTICE_FIELDS, type InboxNotification } from './notification';
import { exchangeType } from './proto-root';
import { sampleDomainEvents, storedSample } from './testing/sample-events';

/** What the notifier sends for every sample event: each notification of the access policy, with the event's id and time. */
function sampleNotifications(): InboxNotification[] {
  return sampleDomainEvents().flatMap((event, index) => {
    const stored = storedSample(event, index);
    return notificationsFor(event).map((notification) => ({ ...notification, eventId: stored.id, occurredAt: stored.recordedAt }));
  });
}

describe('notification codec', () => {
  const notifications = sampleNotifications();

  it('covers every event type the access policy notifies about', () => {
    const notifiedTypes = new Set(notifications.map((notification) => notification.type));
    expect([...notifiedTypes].sort()).toEqual(Object.keys(NOTIFICATION_NOTICE_FIELDS).sort());
    const noticeCases = exchangeType('Notification').oneofs['notice']!.oneof;
    expect([...noticeCases].sort()).toEqual(Object.values(NOTIFICATION_NOTICE_FIELDS).sort());
  });

  it.each(notifications.map((notification, index) => [notification.type, index, notification] as const))(
    '%s notice #%i round-trips losslessly and byte-exactly',
    (_type, _index, notification) => {
      const bytes = encodeNotification(notification);
      const decoded = decodeNotification(bytes);
      expect(decoded).toStrictEqual(notification);
      expect(Buffer.from(encodeNotification(decoded)).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it('refuses an event type nobody is notified of, and data the notice does not have', () => {
    const [notification] = notifications;
    expect(EVENT_TYPES).toContain('protected-data.read');
    expect(() => encodeNotification({ ...notification!, type: 'protected-data.read' })).toThrow(CodecError);
    expect(() => encodeNotification({ ...notification!, data: { ...notification!.data, derivation: { salt: 'secret' } } })).toThrow(
      'has no field in exchange.v1.',
    );
  });
});
