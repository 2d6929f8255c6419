import { SqliteKeyedRecords } from '@exchange/event-store/sqlite';

/** Which messages a consumer has fully handled, kept durably so a redelivery changes nothing. */
export abstract class ProcessedMessages {
  abstract has(consumer: string, messageId: string): boolean;
  abstract add(consumer: string, messageId: string): void;
  abstract close(): void;
}

/** A mark lost to a power cut means one duplicate delivery, which recipients drop by event id. */
export class SqliteProcessedMessages extends ProcessedMessages {
  private readonly marks: SqliteKeyedRecords<true>;

  constructor(path: string) {
    super();
    this.marks = SqliteKeyedRecords.open(path, 'processed_messages');
  }

  has(consumer: string, messageId: string): boolean {
    return this.marks.has(markOf(consumer, messageId));
  }

  add(consumer: string, messageId: string): void {
    this.marks.putFirst(markOf(consumer, messageId), true);
  }

  close(): void {
    this.marks.close();
  }
}

const markOf = (consumer: string, messageId: string) => `${consumer}\n${messageId}`;
