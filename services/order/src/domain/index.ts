export * from './order';
export * from './saga-messages';
export * from './placement-saga';
