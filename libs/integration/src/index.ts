export * from './topics';
export * from './processed-messages';
export * from './relay';
export * from './notifier';
export * from './integration.modules';
