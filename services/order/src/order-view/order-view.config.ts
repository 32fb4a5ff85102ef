import { z } from 'zod';

/**
 * The order view's variables. Merge into `orderEnv` (src/config.ts) with
 * `.extend(orderViewEnv.shape)`; documented in the service README.
 */
export const orderViewEnv = z.object({
  /** TTL of cached orders (GET /orders/:id); 0 disables. Invalidation by the projection keeps them fresh. */
  ORDER_VIEW_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  /** TTL of cached history pages (GET /orders); 0 disables. */
  ORDER_LIST_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
  /** Longest a rebuild transaction may run before it is rolled back (the old view then stays). */
  ORDER_VIEW_REBUILD_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(600_000),
  /** Events read from the event store per page during a rebuild. */
  ORDER_VIEW_REBUILD_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type OrderViewConfig = z.output<typeof orderViewEnv>;
