export * from './service-instance';
export * from './registry-keys';
export * from './discovery-provider';
export * from './static-upstreams';
export * from './register-instance';
export * from './redis-registry-watcher';
