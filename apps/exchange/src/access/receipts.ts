import { Injectable } from '@nestjs/common';
import { ExchangeKeyRing } from '@exchange/signing';

export interface ReceivedFact {
  documentId: string;
  version: number;
  payloadSha256: string;
  position: bigint;
  receivedAt: string;
}

/**
 * The exchange's signed receipts. Ed25519 signatures are deterministic, so a receipt is computed
 * again from the recorded fact whenever it is shown, and is the same bytes every time.
 */
@Injectable()
export class Receipts {
  constructor(private readonly keys: ExchangeKeyRing) {}

  receiptFor(fact: ReceivedFact): Promise<string> {
    return this.keys.signReceipt({
      documentId: fact.documentId,
      version: fact.version,
      payloadSha256: fact.payloadSha256,
      position: String(fact.position),
      receivedAt: fact.receivedAt,
    });
  }

  /** The answer to an accepted submission: what was recorded, with the receipt. */
  async accepted(fact: ReceivedFact): Promise<{ id: string; version: number; payloadSha256: string; receipt: string }> {
    return { id: fact.documentId, version: fact.version, payloadSha256: fact.payloadSha256, receipt: await this.receiptFor(fact) };
  }
}
