import { Injectable } from '@nestjs/common';
import { notificationsFor } from '@exchange/access';
import { toDomainEvent } from '@exchange/domain';
import {
  decodeEventEnvelope,
  encodeNotification,
  MessageBus,
  RetryableError,
  signEnvelope,
  type Consumer,
  type IncomingMessage,
} from '@exchange/messaging';
import { ExchangeKeyRing } from '@exchange/signing';
import { ProcessedMessages } from './processed-messages';
import { DEAD_LETTER_TOPIC, EVENTS_TOPIC, inboxTopic } from './topics';

export const NOTIFIER_GROUP = 'notifier';

/**
 * Routes every event to the inboxes of the organizations that may see it, as envelopes signed by
 * the exchange. Idempotent: a delivery it already made (event × recipient) is not made again; a message it cannot decode is
 * parked on the dead-letter topic; a bus failure is retried.
 */
@Injectable()
export class Notifier {
  private consumer?: Consumer;
  private readonly knownInboxes = new Set<string>();
  delivered = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly keys: ExchangeKeyRing,
    private readonly processed: ProcessedMessages,
  ) {}

  async start(): Promise<void> {
    await this.bus.ensureTopics([EVENTS_TOPIC, DEAD_LETTER_TOPIC]);
    this.consumer = await this.bus.consume({
      topics: [EVENTS_TOPIC],
      groupId: NOTIFIER_GROUP,
      fromBeginning: true,
      deadLetterTopic: DEAD_LETTER_TOPIC,
      handler: (message) => this.handle(message),
    });
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  async handle(message: IncomingMessage): Promise<void> {
    const event = decodeEventEnvelope(message.value);
    const domainEvent = toDomainEvent(event);
    for (const notification of domainEvent ? notificationsFor(domainEvent) : []) {
      const deliveryId = `${event.id}/${notification.recipientOrgId}`;
      if (this.processed.has(NOTIFIER_GROUP, deliveryId)) continue;
      const topic = inboxTopic(notification.recipientOrgId);
      const payload = encodeNotification({
        eventId: event.id,
        type: notification.type,
        occurredAt: event.recordedAt,
        recipientOrgId: notification.recipientOrgId,
        data: notification.data,
      });
      await this.retryable(async () => {
        await this.ensureInbox(topic);
        await this.bus.publish(topic, [
          { key: event.id, value: await signEnvelope(this.keys, payload), headers: { 'event-id': event.id, 'event-type': notification.type } },
        ]);
      });
      this.processed.add(NOTIFIER_GROUP, deliveryId);
      this.delivered++;
    }
  }

  private async ensureInbox(topic: string): Promise<void> {
    if (this.knownInboxes.has(topic)) return;
    await this.bus.ensureTopics([topic]);
    this.knownInboxes.add(topic);
  }

  private async retryable(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw new RetryableError(`publishing to an inbox failed: ${String(error)}`, error);
    }
  }
}
