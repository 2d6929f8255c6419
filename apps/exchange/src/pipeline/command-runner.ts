import { Injectable, Optional } from '@nestjs/common';
import { executeCommand, recordFacts, type CommandContext, type CommandSpec } from '@exchange/commands';
import { conflict, type DomainEvent } from '@exchange/domain';
import { ConcurrencyError, DuplicateEventIdError, EventStore, StoreUnavailableError } from '@exchange/event-store';
import { Projector } from '@exchange/projections';
import { Reactions } from '@exchange/reactions';

export interface Recorded {
  /** Global position of the last event appended (the head when the command caused none). */
  position: bigint;
}

/** How long a write waits for the in-process reactions before answering 503 (its events stay committed). */
const SETTLE_TIMEOUT_MS = 10_000;

const alreadyApplied = () =>
  conflict(
    'idempotency-key-already-applied',
    'the request with this Idempotency-Key was already applied, but its answer cannot be given again; read the resource to see what was recorded',
  );

/**
 * Runs the API's writes through the one command path (@exchange/commands), then lets the read
 * model and the in-process reactions settle, so that what a 2xx acknowledged is visible to every
 * later read. The path's infrastructure errors become the API's refusals here.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly projector: Projector,
    @Optional() private readonly reactions?: Reactions,
  ) {}

  async execute<State, Command extends { type: string }>(spec: CommandSpec<State, Command>, context: CommandContext): Promise<Recorded> {
    let executed;
    try {
      executed = await executeCommand(this.store, spec, context);
    } catch (error) {
      if (error instanceof ConcurrencyError) throw conflict('concurrent-change', 'the resource was changed concurrently; read it again and retry');
      if (error instanceof DuplicateEventIdError) throw alreadyApplied();
      throw error;
    }
    if (!executed) return { position: await this.store.headPosition() };
    await this.settle(executed.position);
    return { position: executed.position };
  }

  /**
   * Records facts that need no decision (audit records): one append per record, those of one
   * stream in the order given, those of different streams together (they share a commit where the
   * store groups them). Then only the read model is brought up to date: no reaction follows.
   */
  async record(records: readonly { streamId: string; events: DomainEvent[] }[], context: CommandContext): Promise<void> {
    if (records.length === 0) return;
    const byStream = new Map<string, DomainEvent[][]>();
    for (const { streamId, events } of records) byStream.set(streamId, [...(byStream.get(streamId) ?? []), events]);
    await Promise.all(
      [...byStream].map(async ([streamId, appends]) => {
        for (const [index, events] of appends.entries()) await recordFacts(this.store, { streamId, events, step: `record/${index}` }, context);
      }),
    );
    await this.projector.catchUp();
  }

  private async settle(position: bigint): Promise<void> {
    await this.projector.catchUp();
    if (!this.reactions) return;
    await withinTimeout(this.reactions.processedThrough(position), SETTLE_TIMEOUT_MS);
    await this.projector.catchUp();
  }
}

/**
 * The events are committed; if the reactions cannot follow (their store is failing), the caller
 * gets a 503 instead of waiting forever, and a retry with the same Idempotency-Key gets the answer.
 */
async function withinTimeout(settled: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`the reactions did not settle within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
