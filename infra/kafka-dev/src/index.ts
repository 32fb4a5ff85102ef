export * from './broker';
export * from './control';
export * from './state-file';
