import type { OutgoingMessage } from '../message-bus.port';

export interface LoggedMessage {
  key: string;
  value: Uint8Array;
  headers: Record<string, string>;
}

/** One topic: a fixed number of append-only partitions; a key always lands on the same partition. */
export class TopicLog {
  private readonly partitions: LoggedMessage[][];

  constructor(
    readonly name: string,
    partitionCount: number,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  append(message: OutgoingMessage): number {
    const partition = partitionForKey(message.key, this.partitions.length);
    this.partitions[partition]!.push({ key: message.key, value: Uint8Array.from(message.value), headers: { ...message.headers } });
    return partition;
  }

  /** The offset the next message of `partition` will get. */
  endOffset(partition: number): number {
    return this.partitions[partition]!.length;
  }

  at(partition: number, offset: number): LoggedMessage | undefined {
    return this.partitions[partition]![offset];
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
