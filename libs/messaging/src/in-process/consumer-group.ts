import { handleWithRetries, type Backoff } from '../handle-with-retries';
import type { ConsumeOptions, IncomingMessage, OutgoingMessage } from '../message-bus.port';
import type { TopicLog } from './topic-log';

export interface DeliveryServices {
  backoff: Backoff;
  publish: (topic: string, messages: OutgoingMessage[]) => Promise<void>;
}

export interface GroupMember {
  readonly options: ConsumeOptions;
  /** Where this member starts a partition the group never committed: 0, or the end when it joined. */
  readonly startOffsets: Map<string, number>;
  /** One delivery at most per partition assigned to the member. */
  readonly inFlight: Set<Promise<void>>;
}

/**
 * Consumers sharing a group id: one cursor per topic partition holds the committed offset and
 * hands messages, one at a time, to the member the partition is assigned to. Because the cursor
 * (not the member) walks the partition, order holds across members joining and leaving.
 */
export class ConsumerGroup {
  private members: GroupMember[] = [];
  private readonly cursors = new Map<string, PartitionCursor>();

  constructor(private readonly services: DeliveryServices) {}

  join(options: ConsumeOptions, logs: TopicLog[]): GroupMember {
    const member: GroupMember = { options, startOffsets: new Map(), inFlight: new Set() };
    for (const log of logs) {
      for (let partition = 0; partition < log.partitionCount; partition++) {
        const start = options.fromBeginning === false ? log.endOffset(partition) : 0;
        member.startOffsets.set(cursorKey(log.name, partition), start);
        this.cursorFor(log, partition);
      }
    }
    this.members.push(member);
    this.wake(options.topics);
    return member;
  }

  /** Takes no more messages for `member`; resolves once its messages in flight are handled and committed. */
  async leave(member: GroupMember): Promise<void> {
    this.members = this.members.filter((other) => other !== member);
    this.wake(member.options.topics);
    await Promise.allSettled([...member.inFlight]);
  }

  wake(topics: readonly string[]): void {
    for (const cursor of this.cursors.values()) {
      if (topics.includes(cursor.topic)) cursor.wake();
    }
  }

  /** Partitions are spread over the members subscribed to the topic, in joining order. */
  memberFor(topic: string, partition: number): GroupMember | undefined {
    const subscribed = this.members.filter((member) => member.options.topics.includes(topic));
    return subscribed.length === 0 ? undefined : subscribed[partition % subscribed.length];
  }

  private cursorFor(log: TopicLog, partition: number): PartitionCursor {
    const key = cursorKey(log.name, partition);
    let cursor = this.cursors.get(key);
    if (!cursor) {
      cursor = new PartitionCursor(log, partition, this, this.services);
      this.cursors.set(key, cursor);
    }
    return cursor;
  }
}

class PartitionCursor {
  private committed: number | undefined;
  private draining = false;

  constructor(
    private readonly log: TopicLog,
    private readonly partition: number,
    private readonly group: ConsumerGroup,
    private readonly services: DeliveryServices,
  ) {}

  get topic(): string {
    return this.log.name;
  }

  wake(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.nextDelivery();
      // Cleared in the same turn as the last check, so a wake() right after starts a new drain.
      if (!next) return void (this.draining = false);
      const delivered = await this.deliver(next.member, next.offset).then(
        () => true,
        () => false,
      );
      // Only parking can fail (the bus was closed): the message stays uncommitted for the next wake().
      if (!delivered) return void (this.draining = false);
    }
  }

  private nextDelivery(): { member: GroupMember; offset: number } | undefined {
    const member = this.group.memberFor(this.log.name, this.partition);
    if (!member) return undefined;
    const wanted = this.committed ?? member.startOffsets.get(cursorKey(this.log.name, this.partition)) ?? 0;
    const offset = Math.max(wanted, this.log.firstOffset(this.partition));
    return offset < this.log.endOffset(this.partition) ? { member, offset } : undefined;
  }

  private deliver(member: GroupMember, offset: number): Promise<void> {
    const { handler, deadLetterTopic, maxAttempts } = member.options;
    const message = this.incomingAt(offset);
    const delivery = handleWithRetries(message, { handler, deadLetterTopic, maxAttempts, ...this.services }).then(() => {
      this.committed = offset + 1;
    });
    member.inFlight.add(delivery);
    return delivery.finally(() => member.inFlight.delete(delivery));
  }

  private incomingAt(offset: number): IncomingMessage {
    const logged = this.log.at(this.partition, offset)!;
    return {
      topic: this.log.name,
      partition: this.partition,
      offset: String(offset),
      key: logged.key,
      value: Uint8Array.from(logged.value),
      headers: { ...logged.headers },
    };
  }
}

function cursorKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
