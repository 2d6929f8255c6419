export * from './event-store.port';
export { SqliteEventStore } from './sqlite-event-store';
export { createOwnerOnlyFile } from './owner-only-file';
export type { SqliteOpenOptions } from './sqlite-event-store';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export type { EsdbClient } from './eventstoredb/esdb-client';
