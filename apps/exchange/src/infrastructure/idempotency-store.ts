import { SqliteKeyedRecords } from '@exchange/event-store/sqlite';

export interface StoredResponse {
  requestSha256: string;
  status: number;
  /** Absent when the answer held a one-time secret and was deliberately not kept. */
  body?: unknown;
}

/**
 * Answers given to POSTs with an Idempotency-Key, kept durably so a replay gets the same answer.
 * An answer holding a secret (a client secret, an access token) is recorded without its body.
 * An answer lost to a power cut is rebuilt from the events, which are named after the key and
 * committed durably by the command path (libs/commands).
 */
export class IdempotencyStore {
  private readonly answers: SqliteKeyedRecords<StoredResponse>;

  constructor(path: string) {
    this.answers = SqliteKeyedRecords.open(path, 'idempotent_answers');
  }

  get(scopeKey: string): StoredResponse | undefined {
    return this.answers.get(scopeKey);
  }

  put(scopeKey: string, response: StoredResponse): void {
    this.answers.putFirst(scopeKey, response);
  }

  close(): void {
    this.answers.close();
  }
}
