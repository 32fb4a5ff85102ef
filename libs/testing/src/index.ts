export * from './docker';
export * from './test-database';
export * from './test-environment';
export * from './test-kafka';
export * from './test-redis';
export * from './unique-name';
export * from './wait-for';
export * from './bench';
