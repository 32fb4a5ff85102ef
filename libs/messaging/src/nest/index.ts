/**
 * The NestJS integration, a separate entry point (`@shop/messaging/nest`) so
 * the rest of the library loads without Nest (NestJS 12 is ES-modules only).
 */
export * from './handle-message.decorator';
export * from './messaging.options';
export * from './messaging.module';
