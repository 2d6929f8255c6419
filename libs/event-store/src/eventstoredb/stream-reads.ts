import { ReadStreamOptions, StoredEvent } from '../event-store.port';
import { collect, EsdbClient } from './esdb-client';
import { toStoredEvent } from './event-mapping';
import { isStreamNotFound } from './eventstoredb-errors';

/** Events of one stream in revision order; an unknown stream reads as []. */
export async function readStreamEvents(
  client: EsdbClient,
  streamId: string,
  { fromRevision = 0, maxCount }: ReadStreamOptions = {},
): Promise<StoredEvent[]> {
  if (maxCount === 0) return [];
  try {
    const read = client.readStream(streamId, { fromRevision: BigInt(fromRevision), maxCount });
    return (await collect(read)).flatMap((resolved) => (resolved.event ? [toStoredEvent(resolved.event)] : []));
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
}
