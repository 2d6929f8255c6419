import type { AllStreamSubscription } from '@eventstore/db-client';
import { isApplicationEvent } from './event-mapping';

/** What the doorbell uses of the client's live subscription to $all. */
export type LiveFeed = Pick<AllStreamSubscription, 'on' | 'unsubscribe'>;

const REOPEN_DELAY_MS = 1_000;

/**
 * Wakes the catch-up subscriptions of one store when the server commits an application event,
 * whoever wrote it. It carries no events: a woken subscription reads $all after its own position,
 * so a ring too many costs one read and never a duplicate. It also rings each time its live
 * subscription is confirmed (at start and after a reconnect), so events committed while it was
 * not listening are read too.
 */
export class LiveDoorbell {
  private feed: LiveFeed | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly openFeed: () => LiveFeed,
    private readonly ring: () => void,
    private readonly reopenDelayMs = REOPEN_DELAY_MS,
  ) {}

  /** Starts listening, unless already listening or stopped. */
  start(): void {
    if (this.stopped || this.feed || this.reopenTimer) return;
    const feed = this.openFeed();
    this.feed = feed;
    const isCurrent = () => this.feed === feed;
    feed.on('confirmation', () => {
      if (isCurrent()) this.ring();
    });
    feed.on('data', (resolved) => {
      if (isCurrent() && resolved.event && isApplicationEvent(resolved.event)) this.ring();
    });
    feed.on('error', () => this.reopenLater(feed));
    feed.on('close', () => this.reopenLater(feed));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reopenTimer);
    const feed = this.feed;
    this.feed = undefined;
    await feed?.unsubscribe();
  }

  private reopenLater(failed: LiveFeed): void {
    if (this.feed !== failed || this.stopped) return;
    this.feed = undefined;
    failed.unsubscribe().catch(() => undefined);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.start();
    }, this.reopenDelayMs);
    this.reopenTimer.unref();
  }
}
