export * from './services';
export * from './connections';
