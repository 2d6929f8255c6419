import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, StoredEvent, Subscription } from '../event-store.port';

export interface ContractFixture {
  store: EventStore;
  /** Closes the current store and opens a new one on the same data. */
  reopen?: () => Promise<EventStore>;
  /** Closes whatever store is current and removes what the factory created. */
  cleanup?: () => Promise<void>;
}

export type ContractFactory = () => Promise<ContractFixture>;

/** Shared by the contract's sections: the store is created in beforeAll and may be replaced by reopen. */
export class ContractContext {
  private fixture: ContractFixture | undefined;
  private current: EventStore | undefined;

  async setUp(factory: ContractFactory): Promise<void> {
    this.fixture = await factory();
    this.current = this.fixture.store;
  }

  async tearDown(): Promise<void> {
    await this.fixture?.cleanup?.();
  }

  get store(): EventStore {
    if (!this.current) throw new Error('the contract fixture is not set up');
    return this.current;
  }

  get canReopen(): boolean {
    return this.fixture?.reopen !== undefined;
  }

  async reopen(): Promise<EventStore> {
    this.current = await this.fixture!.reopen!();
    return this.current;
  }
}

export const RFC3339_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function newStreamId(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

export function newEvent(data: unknown = { nonce: randomUUID() }, metadata?: Record<string, unknown>): NewEvent {
  return { id: randomUUID(), type: 'ContractTested', data, ...(metadata ? { metadata } : {}) };
}

export function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ index }));
}

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A subscription that records what it receives; `failOn` makes the handler throw for that event id. */
export class RecordingSubscriber {
  readonly received: StoredEvent[] = [];
  readonly errors: { error: unknown; event?: StoredEvent }[] = [];
  subscription: Subscription | undefined;

  constructor(
    private readonly checkpointId: string,
    private readonly options: { failOn?: string; beforeHandling?: (event: StoredEvent) => Promise<void> } = {},
  ) {}

  async start(store: EventStore): Promise<this> {
    this.subscription = await store.subscribeToAll({
      checkpointId: this.checkpointId,
      handler: (event) => this.handle(event),
      onError: (error, event) => this.errors.push({ error, event }),
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  ofStream(streamId: string): StoredEvent[] {
    return this.received.filter((event) => event.streamId === streamId);
  }

  positions(): bigint[] {
    return this.received.map((event) => event.position);
  }

  private async handle(event: StoredEvent): Promise<void> {
    await this.options.beforeHandling?.(event);
    if (event.id === this.options.failOn) throw new Error(`handler refuses ${event.id}`);
    this.received.push(event);
  }
}

export function expectStrictlyIncreasing(positions: bigint[]): void {
  positions.slice(1).forEach((position, index) => {
    if (position <= positions[index]!) {
      throw new Error(`positions not strictly increasing at ${index + 1}: ${positions[index]} then ${position}`);
    }
  });
}
