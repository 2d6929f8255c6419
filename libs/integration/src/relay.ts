import { Injectable, Logger } from '@nestjs/common';
import { EventStore, type StoredEvent, type Subscription } from '@exchange/event-store';
import { encodeEventEnvelope, MessageBus, type OutgoingMessage } from '@exchange/messaging';
import { DEAD_LETTER_TOPIC, EVENTS_TOPIC } from './topics';

export const RELAY_CHECKPOINT = 'relay';

/** The message that carries one committed event: keyed by its stream, so a stream's events stay in order. */
export function relayMessage(event: StoredEvent): OutgoingMessage {
  return { key: event.streamId, value: encodeEventEnvelope(event), headers: { 'event-id': event.id, 'event-type': event.type } };
}

/**
 * Publishes committed events, and only committed ones, to the events topic: it reads them from a
 * checkpointed subscription of the event store and advances the checkpoint only after the bus
 * acknowledged the message, so nothing is lost across a restart (a crash may publish an event
 * again; consumers drop what they already handled by event id).
 */
@Injectable()
export class Relay {
  private readonly logger = new Logger(Relay.name);
  private subscription?: Subscription;
  private failure?: unknown;
  published = 0;

  constructor(
    private readonly store: EventStore,
    private readonly bus: MessageBus,
  ) {}

  async start(): Promise<void> {
    await this.bus.ensureTopics([EVENTS_TOPIC, DEAD_LETTER_TOPIC]);
    this.subscription = await this.store.subscribeToAll({
      checkpointId: RELAY_CHECKPOINT,
      handler: async (event) => {
        await this.bus.publish(EVENTS_TOPIC, [relayMessage(event)]);
        this.published++;
      },
      onError: (error) => {
        this.failure = error;
        this.logger.error(`relay stopped: ${String(error)}`);
      },
    });
  }

  get healthy(): boolean {
    return this.subscription !== undefined && this.failure === undefined;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }
}
