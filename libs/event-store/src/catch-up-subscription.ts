import { StoredEvent, SubscribeOptions, Subscription } from './event-store.port';

/** What a catch-up subscription needs from an adapter. Reads may be synchronous or not. */
export interface CatchUpSource {
  readAfter(position: bigint, maxCount: number): StoredEvent[] | Promise<StoredEvent[]>;
  saveCheckpoint(checkpointId: string, position: bigint): void | Promise<void>;
}

const READ_BATCH_SIZE = 100;

/**
 * Delivers events after `startPosition` one at a time, in global order, awaiting the handler and
 * storing the checkpoint after each. When caught up it sleeps until `notifyAppended()`; a single
 * loop does all reads and deliveries, so deliveries cannot interleave or reorder.
 * Delivery is at-least-once: a crash between the handler and the checkpoint write replays one event.
 */
export class CatchUpSubscription implements Subscription {
  private position: bigint;
  private stopRequested = false;
  private appendedSinceLastRead = true;
  private wakeUp: (() => void) | undefined;
  private readonly finished: Promise<void>;

  constructor(
    private readonly source: CatchUpSource,
    private readonly options: SubscribeOptions,
    startPosition: bigint,
    onFinished: (subscription: CatchUpSubscription) => void,
  ) {
    this.position = startPosition;
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
        if (batch.length === 0) await this.waitForAppends();
        for (const event of batch) {
          if (this.stopRequested) break;
          current = event;
          await this.deliver(event);
          current = undefined;
        }
      }
    } catch (error) {
      this.report(error, current);
    }
  }

  private readNextBatch(): StoredEvent[] | Promise<StoredEvent[]> {
    // Cleared before reading, so an append committed during the read wakes the next wait.
    this.appendedSinceLastRead = false;
    return this.source.readAfter(this.position, READ_BATCH_SIZE);
  }

  private async deliver(event: StoredEvent): Promise<void> {
    await this.options.handler(event);
    await this.source.saveCheckpoint(this.options.checkpointId, event.position);
    this.position = event.position;
  }

  private waitForAppends(): Promise<void> {
    if (this.appendedSinceLastRead || this.stopRequested) return Promise.resolve();
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
