import { randomUUID } from 'node:crypto';
import type { Consumer, ConsumeOptions, IncomingMessage, MessageBus, OutgoingMessage } from '../message-bus.port';

/** A fresh name per test, so that tests never see each other's messages or offsets (Kafka-legal characters). */
export function uniqueName(prefix: string): string {
  return `${prefix}.${randomUUID()}`;
}

export interface Gate {
  opened: Promise<void>;
  open: () => void;
}

export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export interface TestPayload {
  key: string;
  seq: number;
}

export function testMessage(key: string, seq: number, headers?: Record<string, string>): OutgoingMessage {
  return { key, value: new TextEncoder().encode(JSON.stringify({ key, seq })), ...(headers && { headers }) };
}

export function payloadOf(message: { value: Uint8Array }): TestPayload {
  return JSON.parse(new TextDecoder().decode(message.value)) as TestPayload;
}

export function idOf(message: { value: Uint8Array }): string {
  const { key, seq } = payloadOf(message);
  return `${key}#${seq}`;
}

/** `count` messages for each key, interleaved across keys, with seq 0..count-1 per key. */
export function interleavedMessages(keys: string[], count: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, seq) => keys.map((key) => testMessage(key, seq))).flat();
}

type Handler = (message: IncomingMessage) => Promise<void>;

/** A consumer that records what its handler finished; `behaviour` runs first and may throw or block. */
export class RecordingConsumer {
  readonly received: IncomingMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(private readonly behaviour: Handler = async () => undefined) {}

  async start(bus: MessageBus, options: Omit<ConsumeOptions, 'handler'>): Promise<this> {
    this.consumer = await bus.consume({ ...options, handler: (message) => this.handle(message) });
    return this;
  }

  stop(): Promise<void> {
    return this.consumer?.stop() ?? Promise.resolve();
  }

  ids(): string[] {
    return this.received.map(idOf);
  }

  private async handle(message: IncomingMessage): Promise<void> {
    await this.behaviour(message);
    this.received.push(message);
  }
}

/** Sequence numbers per key, in the order they were received. */
export function sequencesByKey(messages: IncomingMessage[]): Map<string, number[]> {
  const sequences = new Map<string, number[]>();
  for (const message of messages) {
    const { key, seq } = payloadOf(message);
    sequences.set(key, [...(sequences.get(key) ?? []), seq]);
  }
  return sequences;
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
