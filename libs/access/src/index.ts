export * from './access-policy';
export * from './notifications';
