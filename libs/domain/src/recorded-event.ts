import { EVENT_TYPES, type DomainEvent, type EventCatalogue, type EventType } from './events';

/** What any store or message gives back: a type name and its data as they were recorded. */
export interface RecordedEvent {
  type: string;
  data: unknown;
}

/**
 * Rewrites the data of an event recorded in an older shape into the shape of today's catalogue.
 * An event type whose shape changes gets an entry here; the recorded bytes are never rewritten.
 */
export type Upcasters = { [T in EventType]?: (recorded: unknown) => EventCatalogue[T] };

/** No event type has changed shape yet. */
export const UPCASTERS: Upcasters = {};

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * The one place a recorded event becomes a domain event. Types outside the catalogue (written by a
 * newer release, say) give `undefined`, so every reader passes over them the same way.
 */
export function toDomainEvent(recorded: RecordedEvent, upcasters: Upcasters = UPCASTERS): DomainEvent | undefined {
  if (!KNOWN_TYPES.has(recorded.type)) return undefined;
  const upcast = upcasters[recorded.type as EventType];
  return { type: recorded.type, data: upcast ? upcast(recorded.data) : recorded.data } as DomainEvent;
}
