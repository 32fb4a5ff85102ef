export * from './user-registered';
