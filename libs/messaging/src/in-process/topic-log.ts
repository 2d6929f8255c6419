import type { OutgoingMessage } from '../message-bus.port';

export interface LoggedMessage {
  key: string;
  value: Uint8Array;
  headers: Record<string, string>;
}

interface Partition {
  /** Offset of `messages[0]`: older messages were dropped by retention. */
  firstOffset: number;
  messages: LoggedMessage[];
}

/**
 * One topic: a fixed number of append-only partitions; a key always lands on the same partition.
 * Like a broker's retention, each partition keeps the newest `retention` messages, trimming once
 * it holds twice as many (so appends stay amortized O(1)).
 */
export class TopicLog {
  private readonly partitions: Partition[];

  constructor(
    readonly name: string,
    partitionCount: number,
    private readonly retention: number = Number.POSITIVE_INFINITY,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => ({ firstOffset: 0, messages: [] }));
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  append(message: OutgoingMessage): number {
    const partition = partitionForKey(message.key, this.partitions.length);
    const log = this.partitions[partition]!;
    log.messages.push({ key: message.key, value: Uint8Array.from(message.value), headers: { ...message.headers } });
    if (log.messages.length >= 2 * this.retention) {
      const dropped = log.messages.length - this.retention;
      log.messages = log.messages.slice(dropped);
      log.firstOffset += dropped;
    }
    return partition;
  }

  /** The offset of the oldest message still kept in `partition`. */
  firstOffset(partition: number): number {
    return this.partitions[partition]!.firstOffset;
  }

  /** The offset the next message of `partition` will get. */
  endOffset(partition: number): number {
    const log = this.partitions[partition]!;
    return log.firstOffset + log.messages.length;
  }

  at(partition: number, offset: number): LoggedMessage | undefined {
    const log = this.partitions[partition]!;
    return log.messages[offset - log.firstOffset];
  }
}

/** FNV-1a (32-bit) of the key's UTF-8 bytes: stable across processes and versions, unlike any runtime hash. */
export function partitionForKey(key: string, partitionCount: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitionCount;
}
