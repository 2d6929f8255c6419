export * from './follow-ups';
export * from './reactions';
export * from './reactions.module';
