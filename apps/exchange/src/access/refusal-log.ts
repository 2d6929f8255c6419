import { Logger } from '@nestjs/common';
import { streams, type ProtectedDataReadRefused } from '@exchange/domain';
import { StoreUnavailableError, type EventStore } from '@exchange/event-store';
import type { RefusalTrail } from '@exchange/projections';

const PAGE = 1000;
const RETRY_MS = 1000;

/**
 * Where refused reads are recorded: a log of their own (its own store, its own positions), apart
 * from the event store, so that a refusal moves no position any caller can see.
 *
 * `note` returns at once: the refused caller's answer never waits for the write, so the time it
 * takes does not tell a hidden resource from an unknown one. Noted refusals are appended together
 * on the next turn of the event loop, then folded into the owner's audit trail; `settled` waits for
 * that (the owner's audit query does, so its trail shows every refusal noted before it). A failed
 * append keeps the refusals and tries again.
 */
export class RefusalLog {
  private readonly logger = new Logger('RefusalLog');
  private queued: ProtectedDataReadRefused[] = [];
  private writing?: Promise<void>;
  private lastFailure?: unknown;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly store: EventStore,
    private readonly trail: RefusalTrail,
  ) {}

  /** Folds what the log holds into the trail (at start). */
  async load(): Promise<void> {
    await this.catchUp();
  }

  note(refusal: ProtectedDataReadRefused): void {
    this.queued.push(refusal);
    if (this.queued.length === 1 && !this.writing && !this.retry) setImmediate(() => this.write());
  }

  /** Resolves once every refusal noted so far is in the trail; a 503 while the log cannot be written. */
  async settled(): Promise<void> {
    while (this.writing || this.queued.length > 0) {
      if (this.writing) await this.writing;
      else if (this.lastFailure !== undefined) throw new StoreUnavailableError('the refusal log cannot be written right now', this.lastFailure);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** How many refusals the log holds, once every one noted so far is written. */
  async recordedCount(): Promise<bigint> {
    await this.settled();
    return this.store.headPosition();
  }

  async close(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.settled().catch((error: unknown) => this.logger.error(`refusals not recorded at shutdown: ${String(error)}`));
    await this.store.close();
  }

  private write(): void {
    if (this.writing || this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.writing = this.append(batch)
      .then(() => {
        this.lastFailure = undefined;
      })
      .catch((error: unknown) => {
        this.lastFailure = error;
        this.queued = [...batch, ...this.queued];
        this.logger.warn(`could not record ${batch.length} refusal(s), retrying in ${RETRY_MS} ms: ${String(error)}`);
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.write();
        }, RETRY_MS);
      })
      .finally(() => {
        this.writing = undefined;
        if (!this.retry) this.write();
      });
  }

  private async append(batch: ProtectedDataReadRefused[]): Promise<void> {
    await Promise.all(
      batch.map((data) =>
        this.store.appendToStream(streams.audit(data.resource.id), [{ id: crypto.randomUUID(), type: 'protected-data.read-refused', data }], 'any'),
      ),
    );
    await this.catchUp();
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.trail.position, maxCount: PAGE });
      for (const stored of page) this.trail.apply(stored);
      if (page.length < PAGE) return;
    }
  }
}
