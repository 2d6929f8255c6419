export * from './event-store.port';
export { SqliteEventStore } from './sqlite-event-store';
export type { SqliteOpenOptions } from './sqlite-event-store';
