/**
 * Boots the catalog in-process on a free port with explicit settings, for the
 * integration tests and the benchmark (which bring their own database, Redis
 * prefix, topic and consumer group).
 */
import { signIdentity, bootstrapService, loadServiceConfig, type RunningService } from '@shop/service-kit';
import type { ServiceInfrastructure } from '@shop/testing';
import { createLogger } from '@shop/telemetry';
import { CatalogModule, SERVICE_NAME } from '../catalog.module';
import { catalogEnv, type CatalogConfig } from '../config';

export const TEST_IDENTITY_SECRET = 'catalog-test-secret-0123456789abcdef';

export interface CatalogSettings extends ServiceInfrastructure {
  eventsTopic: string;
  cacheGroup: string;
  /** Extra variables (e.g. PRODUCT_CACHE_TTL_MS: '0'). */
  env?: Record<string, string>;
}

export interface RunningCatalog extends RunningService {
  readonly config: CatalogConfig;
}

export async function startCatalog(settings: CatalogSettings): Promise<RunningCatalog> {
  const config = loadServiceConfig(catalogEnv, {
    CATALOG_DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    CATALOG_EVENTS_TOPIC: settings.eventsTopic,
    CATALOG_CACHE_GROUP: settings.cacheGroup,
    OUTBOX_POLL_INTERVAL_MS: '50',
    LOG_LEVEL: 'silent',
    ...settings.env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: CatalogModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: SERVICE_NAME, level: 'silent' }),
  });
  return { ...service, config };
}

export const adminHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'admin-1', roles: ['admin'] }, TEST_IDENTITY_SECRET);
export const customerHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'customer-1', roles: ['customer'] }, TEST_IDENTITY_SECRET);

export { callJson as call, type Answer, type LooseJson } from '@shop/testing';
