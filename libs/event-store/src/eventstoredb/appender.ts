import { NO_STREAM, WrongExpectedVersionError } from '@eventstore/db-client';
import type { AppendExpectedRevision, EventData } from '@eventstore/db-client';
import { AppendResult, DuplicateEventIdError, ExpectedRevision } from '../event-store.port';
import { planAppend, StreamEntry } from './append-plan';
import { EsdbClient } from './esdb-client';
import { EventIdClaims } from './event-id-claims';
import { isWrongExpectedVersion, toConcurrencyError } from './eventstoredb-errors';
import { toClientExpectedRevision, toPinnedRevision } from './revisions';
import { readStreamEvents } from './stream-reads';

/** Writes lost to concurrent writers before a replay-checked append gives up. */
const MAX_PINNED_WRITE_ATTEMPTS = 5;

/**
 * Appends with the port's rules. The server's own idempotency cannot stand in for them: it only
 * compares the revisions right after the expected one (for ANY, a cache), keeps ids apart per
 * stream, and answers a replay with the batch's revision rather than the stream's. So:
 * 1. every id is claimed (see EventIdClaims); an id owned by another stream is a duplicate;
 * 2. when all claims are new, nothing of the batch can be stored: the server checks the caller's
 *    expectation itself, in the same write;
 * 3. otherwise (a retry, a replay, an overlap) the stream is read and the port's rules decide;
 *    a write then is pinned to the revision read, so a writer in between makes it start over.
 */
export class Appender {
  private readonly claims: EventIdClaims;

  constructor(private readonly client: EsdbClient) {
    this.claims = new EventIdClaims(client);
  }

  async append(streamId: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const claims = await this.claims.claim(
      streamId,
      events.map((event) => event.id),
    );
    const foreignIds = claims.filter((claim) => claim.owner !== streamId).map((claim) => claim.id);
    if (foreignIds.length > 0) throw new DuplicateEventIdError(streamId, foreignIds);
    if (claims.every((claim) => claim.isNew)) return this.appendNewEvents(streamId, events, expected);
    return this.appendAfterReadingStream(streamId, events, expected);
  }

  private async appendNewEvents(streamId: string, events: EventData[], expected: ExpectedRevision) {
    try {
      return await this.write(streamId, events, toClientExpectedRevision(expected));
    } catch (error) {
      throw isWrongExpectedVersion(error) ? toConcurrencyError(error, expected, streamId) : error;
    }
  }

  private async appendAfterReadingStream(streamId: string, events: EventData[], expected: ExpectedRevision) {
    const batchIds = events.map((event) => event.id);
    for (let attempt = 1; ; attempt++) {
      const plan = planAppend(streamId, await this.streamEntries(streamId), batchIds, expected);
      if (plan.kind === 'replay') return plan.result;
      try {
        return await this.write(streamId, events, toPinnedRevision(plan.lastRevision));
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        if (attempt === MAX_PINNED_WRITE_ATTEMPTS) throw toConcurrencyError(error, expected, streamId);
      }
    }
  }

  private async write(streamId: string, events: EventData[], expectedRevision: AppendExpectedRevision): Promise<AppendResult> {
    const written = await this.client.appendToStream(streamId, events, { expectedRevision });
    if (!written.success) {
      // Only a client configured with throwOnAppendFailure=false answers a conflict this way.
      const current = written.nextExpectedRevision < 0n ? NO_STREAM : written.nextExpectedRevision;
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected: expectedRevision, current });
    }
    const nextExpectedRevision = Number(written.nextExpectedRevision);
    // The write's position is the commit position of its last event; ask the stream if it is missing.
    const position = written.position?.commit ?? (await this.positionAt(streamId, nextExpectedRevision));
    return { nextExpectedRevision, position };
  }

  private async positionAt(streamId: string, revision: number): Promise<bigint> {
    const [event] = await readStreamEvents(this.client, streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`stream ${streamId} has no event at revision ${revision} just written`);
    return event.position;
  }

  private async streamEntries(streamId: string): Promise<StreamEntry[]> {
    const events = await readStreamEvents(this.client, streamId);
    return events.map(({ id, revision, position }) => ({ id, revision, position }));
  }
}
