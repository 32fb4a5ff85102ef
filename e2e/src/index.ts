export * from './support/test-stack';
export * from './support/http';
export * from './support/shop-driver';
