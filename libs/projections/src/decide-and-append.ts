import { fold, type Decider, type DomainEvent } from '@exchange/domain';
import type { AppendResult, EventStore } from '@exchange/event-store';

/**
 * Load a stream, fold it, decide, and append what was decided with the expected revision.
 * Returns undefined when the command caused no event. `eventIdFor` names the new events
 * (random by default; derived from their cause where a retry must not append twice).
 */
export async function decideAndAppend<State, Command>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, DomainEvent>,
  command: Command,
  eventIdFor: (index: number) => string = () => crypto.randomUUID(),
): Promise<AppendResult | undefined> {
  const history = await store.readStream(streamId);
  const decided = decider.decide(
    command,
    fold(
      decider,
      history.map((e) => ({ type: e.type, data: e.data }) as DomainEvent),
    ),
  );
  if (decided.length === 0) return undefined;
  const expected = history.length === 0 ? 'no-stream' : history[history.length - 1]!.revision;
  return store.appendToStream(
    streamId,
    decided.map((e, i) => ({ id: eventIdFor(i), type: e.type, data: e.data })),
    expected,
  );
}
