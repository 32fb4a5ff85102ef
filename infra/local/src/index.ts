export * from './provision';
export * from './stack/stack-plan';
export * from './stack/start-stack';
export * from './stack/service-instance';
export * from './stack/local-secrets';
export * from './stack/log-lines';
export * from './stack/free-port';
