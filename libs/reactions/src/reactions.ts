import { Injectable, Logger } from '@nestjs/common';
import { executeCommand, reactionContext, recordFacts } from '@exchange/commands';
import { DomainError, event, footprintDecider, grantDecider, streams, toDomainEvent } from '@exchange/domain';
import { EventStore, type StoredEvent, type Subscription } from '@exchange/event-store';
import { Projector, ReadModel } from '@exchange/projections';
import { followUpsOf, type FollowUp, type FollowUpFacts } from './follow-ups';

/** The subscription's checkpoint name (kept from the first release: its stored position stays valid). */
const CHECKPOINT = 'reactors';
const FIRST_RESTART_MS = 100;
const MAX_RESTART_MS = 5_000;
/** A reaction's append met a concurrent change: decided again this many times before it counts as a passing failure. */
const CONFLICT_RETRIES = 3;

/**
 * Records the follow-up facts that other facts cause (see followUpsOf), on a checkpointed
 * subscription, each named after its cause so that reacting twice records nothing the second time.
 *
 * Nothing is skipped. A failure that may pass (the store is unavailable, a concurrent change)
 * stops the subscription at that event, with the checkpoint before it; it starts again from there
 * after a pause, doubling up to 5 s, until the store is back. Only a refusal by the domain (a
 * DomainError: the follow-up can never be recorded) is recorded as `reaction.parked`, for an
 * operator to see (GET /health/ready notes how many), and passed over.
 */
@Injectable()
export class Reactions {
  private readonly logger = new Logger(Reactions.name);
  private subscription?: Subscription;
  private processed = 0n;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private restartDelay = FIRST_RESTART_MS;
  private restart?: NodeJS.Timeout;
  private stopping = false;
  running = false;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModel,
    private readonly projector: Projector,
  ) {}

  async start(): Promise<void> {
    const head = await this.store.headPosition();
    this.processed = await this.store.checkpoint(CHECKPOINT);
    await this.subscribe();
    await this.processedThrough(head);
  }

  /** Resolves once every event up to `position` has been reacted to. */
  processedThrough(position: bigint): Promise<void> {
    if (this.processed >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restart);
    await this.subscription?.stop();
  }

  private async subscribe(): Promise<void> {
    this.subscription = await this.store.subscribeToAll({
      checkpointId: CHECKPOINT,
      handler: (stored) => this.handle(stored),
      onError: (error) => this.pause(error),
    });
    this.running = true;
  }

  private pause(error: unknown): void {
    this.running = false;
    if (this.stopping) return;
    this.logger.warn(`reactions paused at position ${this.processed + 1n}, starting again in ${this.restartDelay} ms: ${String(error)}`);
    this.restart = setTimeout(() => void this.subscribe().catch((again: unknown) => this.pause(again)), this.restartDelay);
    this.restartDelay = Math.min(this.restartDelay * 2, MAX_RESTART_MS);
  }

  private async handle(stored: StoredEvent): Promise<void> {
    await this.projector.catchUp();
    const e = toDomainEvent(stored);
    for (const followUp of e ? followUpsOf(e, this.facts()) : []) await this.follow(followUp, stored);
    this.processed = stored.position;
    this.restartDelay = FIRST_RESTART_MS;
    this.waiters = this.waiters.filter((w) => (w.position <= this.processed ? (w.resolve(), false) : true));
  }

  private async follow(followUp: FollowUp, cause: StoredEvent): Promise<void> {
    const context = reactionContext(followUp.cause, followUp.at);
    try {
      if (followUp.aggregate === 'grant')
        await executeCommand(
          this.store,
          { streamId: followUp.streamId, decider: grantDecider, command: followUp.command, retries: CONFLICT_RETRIES },
          context,
        );
      else
        await executeCommand(
          this.store,
          { streamId: followUp.streamId, decider: footprintDecider, command: followUp.command, retries: CONFLICT_RETRIES },
          context,
        );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.park(followUp, cause, error);
    }
  }

  private async park(followUp: FollowUp, cause: StoredEvent, refusal: DomainError): Promise<void> {
    this.logger.error(`${followUp.reaction} for ${cause.type} at ${cause.position} refused, parked: ${refusal.code}: ${refusal.message}`);
    const parkedAt = new Date().toISOString();
    const parked = event('reaction.parked', {
      cause: { eventId: cause.id, type: cause.type, position: String(cause.position) },
      reaction: followUp.reaction,
      code: refusal.code,
      reason: refusal.message,
      parkedAt,
    });
    await recordFacts(
      this.store,
      { streamId: streams.parkedReactions(), events: [parked], step: 'park' },
      reactionContext(`parked/${followUp.cause}`, parkedAt),
    );
  }

  private facts(): FollowUpFacts {
    return {
      pinnersOf: (footprintId, version) => this.readModel.footprints.pinnersOf(footprintId, version),
      ddReportIssuer: (ddReportId) => this.readModel.ddReports.get(ddReportId)?.issuer,
    };
  }
}
