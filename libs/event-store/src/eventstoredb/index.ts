export { EventStoreDbEventStore } from './eventstoredb-event-store';
export type { EsdbClient } from './esdb-client';
