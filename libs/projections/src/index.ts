export * from './views';
export * from './read-model';
export * from './recorded-facts';
export * from './projector';
export * from './reactors';
export * from './derived-id';
export * from './decide-and-append';
export * from './projections.module';
