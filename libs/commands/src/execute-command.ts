import { canonicalJson, conflict, fold, toDomainEvent, type Decider, type DomainEvent } from '@exchange/domain';
import { ConcurrencyError, type EventStore, type NewEvent, type StoredEvent } from '@exchange/event-store';
import { eventIdFor, isNamed, type CommandContext } from './command-context';

/** A command for one aggregate's stream. */
export interface CommandSpec<State, Command extends { type: string }> {
  streamId: string;
  decider: Decider<State, Command, DomainEvent>;
  command: Command;
  /** Names this append within its work when the work sends the same command to the same stream more than once (default: the command's type). */
  step?: string;
  /**
   * How many times a concurrency conflict is met by loading the stream again and deciding again
   * (default 0: the ConcurrencyError is thrown). Only for commands whose decision may change with
   * what others appended meanwhile, as a reaction's may.
   */
  retries?: number;
}

/** What executing a command did. */
export interface Executed {
  /** Global position of the last event appended, or recorded by an earlier execution of the same work. */
  position: bigint;
  /** Whether the events were found recorded by an earlier execution of the same work (nothing was appended). */
  replayed: boolean;
}

/** Recorded in the metadata of every event a request with an Idempotency-Key appends. */
export interface RequestMetadata {
  keyId: string;
  requestSha256: string;
  at: string;
}

/**
 * The work was executed before at another instant (a crash, or a failure after the append, lost
 * its answer): execute it again with `at`, so that what it rebuilds (receipts carry the time) is
 * what the first execution gave.
 */
export class RecordedAtAnotherTime extends Error {
  constructor(readonly at: string) {
    super(`the work was already executed at ${at}`);
    this.name = 'RecordedAtAnotherTime';
  }
}

const alreadyApplied = () =>
  conflict(
    'idempotency-key-already-applied',
    'the request with this Idempotency-Key was already applied, but its answer cannot be given again; read the resource to see what was recorded',
  );

/**
 * The one command path: load the stream, fold it, decide, and append what was decided with the
 * expected revision, the events named after the context's work. Answers undefined when the command
 * decided nothing.
 *
 * When the stream already holds the events this work would append, the work was executed before:
 * nothing is decided or appended again and the recorded position is answered, provided deciding
 * the command again, on the state before those events, gives exactly the recorded events (else it
 * is a 409, never a second event).
 */
export async function executeCommand<State, Command extends { type: string }>(
  store: EventStore,
  spec: CommandSpec<State, Command>,
  context: CommandContext,
): Promise<Executed | undefined> {
  const step = spec.step ?? spec.command.type;
  const idFor = (index: number) => eventIdFor(context, spec.streamId, step, index);
  for (let retriesLeft = spec.retries ?? 0; ; retriesLeft--) {
    const history = await store.readStream(spec.streamId);
    const replayedFrom = isNamed(context) ? history.findIndex((e) => e.id === idFor(0)) : -1;
    if (replayedFrom >= 0) return { position: replayedPosition(spec, context, history, replayedFrom, idFor), replayed: true };
    const decided = spec.decider.decide(spec.command, fold(spec.decider, domainEventsOf(history)));
    if (decided.length === 0) return undefined;
    const expected = history.length === 0 ? 'no-stream' : history[history.length - 1]!.revision;
    try {
      const { position } = await store.appendToStream(spec.streamId, named(decided, context, idFor), expected);
      return { position, replayed: false };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || retriesLeft <= 0) throw error;
    }
  }
}

/**
 * Appends facts that need no decision (the audit trail's records) to a stream, after whatever it
 * holds, named like a command's events: executing the same work again appends nothing new.
 */
export async function recordFacts(
  store: EventStore,
  fact: { streamId: string; events: DomainEvent[]; step: string },
  context: CommandContext,
): Promise<Executed> {
  const { position } = await store.appendToStream(
    fact.streamId,
    named(fact.events, context, (index) => eventIdFor(context, fact.streamId, fact.step, index)),
    'any',
  );
  return { position, replayed: false };
}

function named(decided: DomainEvent[], context: CommandContext, idFor: (index: number) => string): NewEvent[] {
  const metadata = metadataOf(context);
  return decided.map((e, index) => ({ id: idFor(index), type: e.type, data: e.data, ...(metadata && { metadata }) }));
}

function metadataOf(context: CommandContext): Record<string, unknown> | undefined {
  const { work } = context;
  if (work.kind === 'request')
    return { idempotency: { keyId: work.keyId, requestSha256: work.requestSha256, at: context.now } satisfies RequestMetadata };
  if (work.kind === 'reaction') return { causedBy: work.cause };
  return undefined;
}

function replayedPosition<State, Command extends { type: string }>(
  spec: CommandSpec<State, Command>,
  context: CommandContext,
  history: StoredEvent[],
  from: number,
  idFor: (index: number) => string,
): bigint {
  const recorded = (history[from]!.metadata as { idempotency?: Partial<RequestMetadata> }).idempotency;
  if (context.work.kind === 'request') {
    if (recorded?.requestSha256 !== context.work.requestSha256)
      throw conflict('idempotency-key-reused', 'this Idempotency-Key was already used with another request');
    if (typeof recorded.at === 'string' && recorded.at !== context.now) throw new RecordedAtAnotherTime(recorded.at);
  }
  let decided: DomainEvent[];
  try {
    decided = spec.decider.decide(spec.command, fold(spec.decider, domainEventsOf(history.slice(0, from))));
  } catch {
    throw alreadyApplied();
  }
  const stored = history.slice(from, from + decided.length);
  const faithful =
    decided.length > 0 &&
    stored.length === decided.length &&
    stored.every((s, i) => s.id === idFor(i) && s.type === decided[i]!.type && storedForm(s.data) === storedForm(decided[i]!.data));
  if (!faithful) throw alreadyApplied();
  return stored[stored.length - 1]!.position;
}

/** The JSON the store keeps of an event's data, in canonical form, to compare a replay with the record. */
const storedForm = (data: unknown) => canonicalJson(JSON.parse(JSON.stringify(data ?? null)));

const domainEventsOf = (history: StoredEvent[]): DomainEvent[] => history.flatMap((e) => toDomainEvent(e) ?? []);
