import { StoredEvent, SubscribeOptions, Subscription } from './event-store.port';

/** What a catch-up subscription needs from an adapter. Reads may be synchronous or not. */
export interface CatchUpSource {
  readAfter(position: bigint, maxCount: number): StoredEvent[] | Promise<StoredEvent[]>;
  saveCheckpoint(checkpointId: string, position: bigint): void | Promise<void>;
}

const READ_BATCH_SIZE = 100;
/** A checkpoint is stored at most this often while events keep coming (and always on stop or failure). */
const CHECKPOINT_INTERVAL_MS = 200;

/**
 * Delivers events after `startPosition` one at a time, in global order, awaiting the handler.
 * The checkpoint (the last handled position) is stored after a batch when the last one is older
 * than CHECKPOINT_INTERVAL_MS, when the loop goes idle, on stop and before reporting a failure, so
 * a busy subscription does not pay a durable write per event. When caught up it sleeps until
 * `notifyAppended()`; a single loop does all reads and deliveries, so deliveries cannot interleave
 * or reorder. Delivery is at-least-once: a crash replays the events handled since the last stored
 * checkpoint (at most CHECKPOINT_INTERVAL_MS' worth), so handlers must be idempotent.
 */
export class CatchUpSubscription implements Subscription {
  private position: bigint;
  private stopRequested = false;
  private appendedSinceLastRead = true;
  private wakeUp: (() => void) | undefined;
  private readonly finished: Promise<void>;
  private storedPosition: bigint;
  private lastStoredAt = Date.now();
  private saving: Promise<void> = Promise.resolve();
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointFailure: unknown;

  constructor(
    private readonly source: CatchUpSource,
    private readonly options: SubscribeOptions,
    startPosition: bigint,
    onFinished: (subscription: CatchUpSubscription) => void,
  ) {
    this.position = startPosition;
    this.storedPosition = startPosition;
    this.finished = this.run().finally(() => onFinished(this));
  }

  /** Called by the adapter after a commit. */
  notifyAppended(): void {
    this.appendedSinceLastRead = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake();
    await this.finished;
  }

  private async run(): Promise<void> {
    let current: StoredEvent | undefined;
    try {
      while (!this.stopRequested) {
        const batch = await this.readNextBatch();
        if (batch.length === 0) {
          this.scheduleCheckpoint();
          await this.waitForAppends();
          if (this.checkpointFailure !== undefined) throw this.checkpointFailure;
        }
        for (const event of batch) {
          if (this.stopRequested) break;
          current = event;
          await this.options.handler(event);
          this.position = event.position;
          current = undefined;
        }
        if (Date.now() - this.lastStoredAt >= CHECKPOINT_INTERVAL_MS) await this.storeCheckpoint();
      }
      clearTimeout(this.checkpointTimer);
      await this.storeCheckpoint();
    } catch (error) {
      clearTimeout(this.checkpointTimer);
      await this.storeCheckpoint().catch(() => undefined);
      this.report(error, current);
    }
  }

  /** Stores the last handled position; saves are chained, so they can never land out of order. */
  private storeCheckpoint(): Promise<void> {
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        if (this.position === this.storedPosition) return;
        const position = this.position;
        await this.source.saveCheckpoint(this.options.checkpointId, position);
        this.storedPosition = position;
        this.lastStoredAt = Date.now();
      });
    return this.saving;
  }

  /** While idle, stores the checkpoint once the interval since the last one has passed; a failure stops the loop and is reported. */
  private scheduleCheckpoint(): void {
    if (this.checkpointTimer !== undefined || this.position === this.storedPosition) return;
    const wait = Math.max(0, CHECKPOINT_INTERVAL_MS - (Date.now() - this.lastStoredAt));
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined;
      this.storeCheckpoint().catch((error: unknown) => {
        this.checkpointFailure = error;
        this.wake();
      });
    }, wait);
    this.checkpointTimer.unref?.();
  }

  private readNextBatch(): StoredEvent[] | Promise<StoredEvent[]> {
    // Cleared before reading, so an append committed during the read wakes the next wait.
    this.appendedSinceLastRead = false;
    return this.source.readAfter(this.position, READ_BATCH_SIZE);
  }

  private waitForAppends(): Promise<void> {
    if (this.appendedSinceLastRead || this.stopRequested || this.checkpointFailure !== undefined) return Promise.resolve();
    return new Promise((resolve) => (this.wakeUp = resolve));
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  private report(error: unknown, event: StoredEvent | undefined): void {
    try {
      if (this.options.onError) return this.options.onError(error, event);
    } catch (onErrorFailure) {
      error = onErrorFailure;
    }
    console.error(`subscription ${this.options.checkpointId} stopped at position ${String(event?.position)}`, error);
  }
}
