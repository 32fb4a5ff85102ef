export * from './readiness-check';
export * from './postgres.check';
export * from './redis.check';
export * from './kafka.check';
export * from './health.module';
