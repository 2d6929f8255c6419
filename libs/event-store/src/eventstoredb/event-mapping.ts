import { jsonEvent } from '@eventstore/db-client';
import type { EventData, JSONType, RecordedEvent } from '@eventstore/db-client';
import { toJsonText } from '../append-rules';
import { NewEvent, StoredEvent } from '../event-store.port';
import { commitPositionOf } from './positions';

export const CHECKPOINT_STREAM_PREFIX = 'exchange-checkpoint-';
export const EVENT_ID_CLAIM_STREAM_PREFIX = 'exchange-event-id-';

export function checkpointStreamOf(checkpointId: string): string {
  return `${CHECKPOINT_STREAM_PREFIX}${checkpointId}`;
}

export function eventIdClaimStreamOf(eventId: string): string {
  return `${EVENT_ID_CLAIM_STREAM_PREFIX}${eventId}`;
}

/** Streams the port does not show: EventStoreDB's own (`$...`), checkpoints and event id claims. */
export function isReservedStreamId(streamId: string): boolean {
  return streamId.startsWith('$') || streamId.startsWith(CHECKPOINT_STREAM_PREFIX) || streamId.startsWith(EVENT_ID_CLAIM_STREAM_PREFIX);
}

/** Appending to a reserved stream would write events that readAll and subscriptions never show. */
export function rejectReservedStreamId(streamId: string): void {
  if (isReservedStreamId(streamId)) {
    throw new TypeError(`stream id ${streamId} is reserved (an EventStoreDB system stream or the adapter's own)`);
  }
}

/** What readAll, headPosition and subscriptions show: application events, not system or adapter events. */
export function isApplicationEvent(event: { streamId: string; type: string }): boolean {
  return !isReservedStreamId(event.streamId) && !event.type.startsWith('$');
}

/** A TypeError for data or metadata JSON cannot represent, as the SQLite adapter does. */
export function toEventData(event: NewEvent): EventData {
  const data = event.data ?? null;
  const metadata = event.metadata ?? {};
  toJsonText(data, `data of event ${event.id}`);
  toJsonText(metadata, `metadata of event ${event.id}`);
  return jsonEvent({ id: event.id, type: event.type, data: data as JSONType, metadata });
}

export function toStoredEvent(recorded: RecordedEvent): StoredEvent {
  return {
    id: recorded.id,
    type: recorded.type,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: commitPositionOf(recorded.position, `event ${recorded.id} of ${recorded.streamId}`),
    recordedAt: recorded.created.toISOString(),
    data: recorded.data instanceof Uint8Array ? Buffer.from(recorded.data).toString('base64') : recorded.data,
    metadata: asMetadataObject(recorded.metadata),
  };
}

/** Events written by other clients may carry binary, non-object or no metadata: the port wants an object. */
function asMetadataObject(metadata: unknown): Record<string, unknown> {
  const isObject = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata);
  return isObject && !(metadata instanceof Uint8Array) ? (metadata as Record<string, unknown>) : {};
}
