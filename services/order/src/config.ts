import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';
import { DEFAULT_SAGA_POLICY, type SagaPolicy } from './domain';
import { orderViewEnv } from './order-view/order-view.config';

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const timeouts = DEFAULT_SAGA_POLICY.replyTimeoutMs;

/**
 * The service's consumer groups, fixed names because `@HandleMessage` names
 * them statically (integration suites get a broker of their own).
 */
export const ORDER_GROUPS = {
  /** The placement saga: inventory.events, payment.events. */
  saga: 'order-saga',
  /** The catalog price replica: catalog.events. */
  priceReplica: 'order-price-replica',
} as const;

/** The order service's environment: the platform's common variables plus these. */
export const orderEnv = SERVICE_ENV_SCHEMAS.order.extend({
  /** Prefix of every Redis key of the service (the scheduler's leader lock lives under it). */
  REDIS_KEY_PREFIX: z.string().default('order:'),
  /** How often the elected scheduler looks for due saga timers. */
  SAGA_TIMER_POLL_INTERVAL_MS: ms(250),
  /** Scheduler leadership TTL: how long a dead leader's timers wait for a successor. */
  SAGA_SCHEDULER_LEADER_TTL_MS: ms(10_000),
  // SagaPolicy: reply timeouts per operation, retries of capture and compensations.
  SAGA_RESERVE_STOCK_TIMEOUT_MS: ms(timeouts.RESERVE_STOCK),
  SAGA_AUTHORIZE_PAYMENT_TIMEOUT_MS: ms(timeouts.AUTHORIZE_PAYMENT),
  SAGA_CAPTURE_PAYMENT_TIMEOUT_MS: ms(timeouts.CAPTURE_PAYMENT),
  SAGA_VOID_PAYMENT_TIMEOUT_MS: ms(timeouts.VOID_PAYMENT),
  SAGA_REFUND_PAYMENT_TIMEOUT_MS: ms(timeouts.REFUND_PAYMENT),
  SAGA_RELEASE_STOCK_TIMEOUT_MS: ms(timeouts.RELEASE_STOCK),
  SAGA_MAX_ATTEMPTS: ms(DEFAULT_SAGA_POLICY.maxAttempts),
  SAGA_RETRY_BASE_MS: ms(DEFAULT_SAGA_POLICY.retryBaseMs),
  SAGA_RETRY_MAX_MS: ms(DEFAULT_SAGA_POLICY.retryMaxMs),
  // The read model's (src/order-view): cache TTLs, rebuild limits.
  ...orderViewEnv.shape,
});

export type OrderConfig = z.output<typeof orderEnv>;

/** The saga's timing rules from the configuration. */
export function sagaPolicyOf(config: OrderConfig): SagaPolicy {
  return {
    replyTimeoutMs: {
      RESERVE_STOCK: config.SAGA_RESERVE_STOCK_TIMEOUT_MS,
      AUTHORIZE_PAYMENT: config.SAGA_AUTHORIZE_PAYMENT_TIMEOUT_MS,
      CAPTURE_PAYMENT: config.SAGA_CAPTURE_PAYMENT_TIMEOUT_MS,
      VOID_PAYMENT: config.SAGA_VOID_PAYMENT_TIMEOUT_MS,
      REFUND_PAYMENT: config.SAGA_REFUND_PAYMENT_TIMEOUT_MS,
      RELEASE_STOCK: config.SAGA_RELEASE_STOCK_TIMEOUT_MS,
    },
    maxAttempts: config.SAGA_MAX_ATTEMPTS,
    retryBaseMs: config.SAGA_RETRY_BASE_MS,
    retryMaxMs: config.SAGA_RETRY_MAX_MS,
  };
}
