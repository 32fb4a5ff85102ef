import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';

/** The saga's reply timeout for payment commands (services/order/src/domain, DEFAULT_SAGA_POLICY). */
const SAGA_PAYMENT_REPLY_TIMEOUT_MS = 15_000;

/** The payment service's environment: the platform's common variables plus these. */
export const paymentEnv = SERVICE_ENV_SCHEMAS.payment
  .extend({
    /** The consumer group of payment.commands (one per deployment). */
    PAYMENT_COMMANDS_GROUP: z.string().min(1).default('payment'),
    /** Prefix of every Redis key of the service (the provider behaviour lives under it). */
    REDIS_KEY_PREFIX: z.string().default('payment:'),
    /** Default share (0..1) of provider calls failing with 503; overridden at run time through the admin endpoint. */
    PROVIDER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
    /** Default latency added to each provider call; overridden at run time through the admin endpoint. */
    PROVIDER_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    /** Breaker timeout of one provider call. Two calls (authorize + void) must fit in the saga's reply timeout. */
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
    /** The saga's reply timeout for payment commands; the breaker refuses a timeout above half of it. */
    SAGA_REPLY_TIMEOUT_MS: z.coerce.number().int().positive().default(SAGA_PAYMENT_REPLY_TIMEOUT_MS),
    /** Calls in the breaker's window before it may open (>= 10: a quiet breaker must not open on one failure). */
    PROVIDER_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(10).default(10),
    PROVIDER_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    /** Time the breaker stays open before one probe call. */
    PROVIDER_BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
    /** Handler attempts per command before the dead-letter topic (an authorization in doubt is retried this often). */
    COMMAND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  })
  .refine((env) => env.PROVIDER_TIMEOUT_MS * 2 < env.SAGA_REPLY_TIMEOUT_MS, {
    path: ['PROVIDER_TIMEOUT_MS'],
    message: 'two provider calls (authorize, then void) must fit inside SAGA_REPLY_TIMEOUT_MS',
  });

export type PaymentConfig = z.output<typeof paymentEnv>;
