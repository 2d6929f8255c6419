import { EventEmitter } from 'node:events';
import type { AllStreamResolvedEvent, Filter } from '@eventstore/db-client';

/** Pieces of FakeEventStoreDbClient: what it stores per event, and its live subscriptions. */

export interface FakeRecord {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  json: boolean;
  data: string;
  metadata: string;
  created: Date;
  position: bigint;
}

export type NewRecord = Pick<FakeRecord, 'id' | 'type' | 'data' | 'json'> & { metadata?: string };

export class FakeLiveFeed extends EventEmitter {
  constructor(
    private readonly filter: Filter | undefined,
    private readonly detach: () => void,
  ) {
    super();
  }

  push(resolved: AllStreamResolvedEvent): void {
    const regex = this.filter && 'regex' in this.filter ? new RegExp(this.filter.regex) : undefined;
    if (regex && !regex.test(resolved.event!.type)) return;
    setImmediate(() => this.emit('data', resolved));
  }

  fail(error: Error): void {
    this.detach();
    this.emit('error', error);
  }

  async unsubscribe(): Promise<void> {
    this.detach();
  }
}

export function toResolved(record: FakeRecord): AllStreamResolvedEvent {
  const common = {
    streamId: record.streamId,
    id: record.id,
    revision: BigInt(record.revision),
    type: record.type,
    created: record.created,
    metadata: record.metadata === '' ? undefined : JSON.parse(record.metadata),
    position: { commit: record.position, prepare: record.position },
  };
  const event = record.json
    ? { ...common, isJson: true as const, data: JSON.parse(record.data) }
    : { ...common, isJson: false as const, data: new TextEncoder().encode(record.data) };
  return { event } as AllStreamResolvedEvent;
}
