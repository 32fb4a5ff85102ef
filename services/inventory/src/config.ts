import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';

/** The inventory's environment: the platform's common variables plus these. */
export const inventoryEnv = SERVICE_ENV_SCHEMAS.inventory.extend({
  /** How long a reservation holds its units without a commit or release (far above the saga's timeouts). */
  RESERVATION_TTL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(15 * 60_000),
  /** How often the elected sweeper looks for expired reservations. */
  RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),
  /** Expired reservations released per sweep round (each in its own transaction). */
  RESERVATION_SWEEP_BATCH: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Lease of the sweeper's leadership: how long a crashed leader blocks its successor. */
  SWEEPER_LEADER_TTL_MS: z.coerce.number().int().min(500).default(10_000),
  /** inventory.commands partitions handled in parallel by one instance (order holds per partition). */
  COMMAND_PARTITIONS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
  /** Prefix of every Redis key of the service (the sweeper's leader lock). */
  REDIS_KEY_PREFIX: z.string().default('inventory:'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  /** Longest one transaction may run (Prisma rolls it back after that). */
  DATABASE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(15_000),
});

export type InventoryConfig = z.output<typeof inventoryEnv>;
