export * from './env';
export * from './platform-config';
export * from './health';
export * from './platform.module';
export * from './boot';
export * from './data-directory';
