import { jsonEvent, NO_STREAM, START } from '@eventstore/db-client';
import { collect, EsdbClient } from './esdb-client';
import { eventIdClaimStreamOf } from './event-mapping';
import { isWrongExpectedVersion } from './eventstoredb-errors';

export const EVENT_ID_CLAIM_TYPE = 'EventIdClaimed';

export interface EventIdClaim {
  id: string;
  /** The stream the id belongs to: the one that claimed it first. */
  owner: string;
  /** Claimed by this call: no event with this id can be stored anywhere yet. */
  isNew: boolean;
}

/**
 * EventStoreDB keeps event ids apart per stream only, while the port wants an id stored at most
 * once across all streams. So every id is claimed before its event is written, by creating the
 * stream `exchange-event-id-<id>` (expected revision NO_STREAM): the first claim wins and names
 * the owning stream. Claims are never removed; one left by an append that then failed only keeps
 * the id for its stream.
 */
export class EventIdClaims {
  constructor(private readonly client: EsdbClient) {}

  claim(streamId: string, ids: string[]): Promise<EventIdClaim[]> {
    return Promise.all(ids.map((id) => this.claimOne(streamId, id)));
  }

  private async claimOne(streamId: string, id: string): Promise<EventIdClaim> {
    const claim = jsonEvent({ type: EVENT_ID_CLAIM_TYPE, data: { streamId } });
    const written = await this.client.appendToStream(eventIdClaimStreamOf(id), claim, { expectedRevision: NO_STREAM }).catch((error: unknown) => {
      if (isWrongExpectedVersion(error)) return undefined;
      throw error;
    });
    if (written?.success) return { id, owner: streamId, isNew: true };
    return { id, owner: await this.ownerOf(id), isNew: false };
  }

  private async ownerOf(id: string): Promise<string> {
    const read = this.client.readStream(eventIdClaimStreamOf(id), { fromRevision: START, maxCount: 1 });
    const [first] = await collect(read);
    const owner = (first?.event?.data as { streamId?: unknown } | undefined)?.streamId;
    if (typeof owner !== 'string') throw new Error(`the claim of event id ${id} names no stream`);
    return owner;
  }
}
