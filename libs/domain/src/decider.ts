/**
 * A decider: the pure heart of an aggregate. `decide` answers a command with the events it
 * causes (or throws a DomainError and causes nothing); `evolve` folds one event into the state.
 * The state of a stream is `events.reduce(evolve, initialState)`.
 */
export interface Decider<State, Command, Event> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
}

export function fold<State, Event>(decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>, events: readonly Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
