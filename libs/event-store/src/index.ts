export * from './events';
export * from './errors';
export * from './event-store';
export * from './aggregate-repository';
export { rehydrate, type Evolve } from './rehydrate';
export { isSnapshotDue, snapshotPolicy, NEVER_SNAPSHOT, type SnapshotPolicy } from './snapshot-policy';
export { requiredVersion, satisfies, streamCategory } from './expected-version';
export { EVENT_STORE_SCHEMA_PATH } from './schema';
export { toMessageEnvelope, aggregateIdOf } from './message-envelope';
