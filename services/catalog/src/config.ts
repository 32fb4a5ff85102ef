import { TOPICS } from '@shop/contracts';
import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';

/** The catalog's environment: the platform's common variables plus these. */
export const catalogEnv = SERVICE_ENV_SCHEMAS.catalog.extend({
  /** Where product events go (integration suites use a topic of their own). */
  CATALOG_EVENTS_TOPIC: z.string().min(1).default(TOPICS.catalogEvents.name),
  /** The consumer group invalidating the cache from catalog.events (one per deployment: Redis is shared). */
  CATALOG_CACHE_GROUP: z.string().min(1).default('catalog-cache-invalidation'),
  /** Prefix of every Redis key of the service. */
  REDIS_KEY_PREFIX: z.string().default('catalog:'),
  /** TTL of cached products; 0 disables the cache (benchmark baseline). */
  PRODUCT_CACHE_TTL_MS: z.coerce.number().int().min(0).default(300_000),
  /** TTL of cached list pages (each write invalidates them all anyway). */
  LIST_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
});

export type CatalogConfig = z.output<typeof catalogEnv>;
