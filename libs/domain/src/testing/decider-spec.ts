import { fold, type Decider } from '../decider';
import { DomainError, type DomainErrorKind, type FieldError } from '../errors';

/** What else a refusal must carry: extras such as `expected`, field errors, words of the message. */
export interface RefusalDetails {
  extra?: Record<string, unknown>;
  errors?: FieldError[];
  message?: RegExp;
}

export interface Then<Event> {
  /** The command causes exactly these events. */
  then(expected: Event[]): void;
  /** The command is refused with a DomainError of this kind and code, carrying the details given. */
  thenRefused(kind: DomainErrorKind, code: string, details?: RefusalDetails): void;
}

/**
 * given(events).when(command).then(events | refusal), for one decider: the state is the fold of
 * the given events, and deciding is checked to be pure (the same answer twice, the state untouched).
 */
export function deciderSpec<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return {
    given: (history: Event[] = []) => ({
      when: (command: Command): Then<Event> => {
        const decide = () => {
          const state = fold(decider, history);
          const before = JSON.stringify(state);
          const outcome = attempt(() => decider.decide(command, state));
          expect(JSON.stringify(state)).toBe(before);
          return outcome;
        };
        return {
          then(expected) {
            const outcome = decide();
            if (!outcome.ok) throw new Error(`expected events, the decider refused: ${explain(outcome.error)}`);
            expect(outcome.events).toEqual(expected);
            expect(decide()).toEqual(outcome);
          },
          thenRefused(kind, code, details = {}) {
            const outcome = decide();
            if (outcome.ok) throw new Error(`expected a refusal ${kind}/${code}, the decider decided ${JSON.stringify(outcome.events)}`);
            if (!(outcome.error instanceof DomainError)) throw outcome.error;
            expect({ kind: outcome.error.kind, code: outcome.error.code }).toEqual({ kind, code });
            if (details.extra) expect(outcome.error.extra).toMatchObject(details.extra);
            if (details.errors) expect(outcome.error.errors).toEqual(details.errors);
            if (details.message) expect(outcome.error.message).toMatch(details.message);
          },
        };
      },
    }),
  };
}

type Outcome<Event> = { ok: true; events: Event[] } | { ok: false; error: unknown };

function attempt<Event>(decide: () => Event[]): Outcome<Event> {
  try {
    return { ok: true, events: decide() };
  } catch (error) {
    return { ok: false, error };
  }
}

function explain(error: unknown): string {
  return error instanceof DomainError ? `${error.kind}/${error.code}: ${error.message}` : String(error);
}
