export * from './views';
export * from './read-model';
export * from './recorded-facts';
export * from './refusal-trail';
export * from './projector';
export * from './projections.module';
