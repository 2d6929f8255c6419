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

/** How many stream reads are in flight at once on behalf of one readManyStreams. */
const CONCURRENT_STREAM_READS = 32;

/**
 * Every event of each stream (distinct ids), keyed in the order given. The server has no
 * multi-stream read, so the streams are read concurrently, a bounded number at a time.
 */
export async function readManyStreams(client: EsdbClient, streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
  const read: StoredEvent[][] = new Array(streamIds.length);
  let next = 0;
  const worker = async () => {
    while (next < streamIds.length) {
      const index = next++;
      read[index] = await readStreamEvents(client, streamIds[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_STREAM_READS, streamIds.length) }, worker));
  return new Map(streamIds.map((streamId, index) => [streamId, read[index]!]));
}
