/** Nest injection token of the service's pino logger. */
export const PAYMENT_LOGGER = Symbol('PAYMENT_LOGGER');
