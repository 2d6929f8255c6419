export { SqliteEventStore } from './sqlite-event-store';
export type { SqliteOpenOptions } from './sqlite-event-store';
export { createOwnerOnlyFile } from './owner-only-file';
export { SqliteKeyedRecords } from './sqlite-keyed-records';
