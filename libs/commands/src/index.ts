export * from './command-context';
export * from './execute-command';
