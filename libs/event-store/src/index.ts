/**
 * The port alone: what the application codes against. Adapters are separate entry points, so that
 * importing the port loads no database driver: `@exchange/event-store/sqlite` and
 * `@exchange/event-store/eventstoredb`.
 */
export * from './event-store.port';
