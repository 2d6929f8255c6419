import type { EventStoreDBClient } from '@eventstore/db-client';

/** The part of the EventStoreDB client the adapter uses (a narrower type lets tests pass a fake). */
export type EsdbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'getStreamMetadata' | 'setStreamMetadata' | 'dispose'
>;

/** Drains a client read into an array (the client streams reads; the port answers with arrays). */
export async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
