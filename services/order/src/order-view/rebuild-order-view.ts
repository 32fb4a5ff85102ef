/**
 * Rebuilds the order view from the event store, outside the service:
 *
 *   node --require ./tools/register.cjs services/order/src/order-view/rebuild-order-view.ts
 *
 * Reads ORDER_DATABASE_URL / POSTGRES_URL, REDIS_URL, REDIS_KEY_PREFIX and
 * the ORDER_VIEW_* variables (no Kafka, no identity secret). Safe while the
 * service runs: same transaction and locks as POST /admin/order-view/rebuild.
 */
import { databaseUrlOf, loadServiceConfig } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import { orderEnv } from '../config';
import { OrderDatabase } from '../infrastructure/order-database';
import { OrderEventStore } from '../infrastructure/order-event-store';
import { OrderRedis } from '../infrastructure/order-redis';
import type { RebuildReport } from './order-view-rebuild';
import { orderViewEnv } from './order-view.config';
import { rebuilder, viewCache } from './order-view.module';

export const rebuildEnv = orderEnv
  .pick({
    POSTGRES_URL: true,
    ORDER_DATABASE_URL: true,
    REDIS_URL: true,
    REDIS_KEY_PREFIX: true,
    LOG_LEVEL: true,
  })
  .extend(orderViewEnv.shape);

export async function rebuildOrderView(
  env: Record<string, string | undefined> = process.env,
): Promise<RebuildReport> {
  const config = loadServiceConfig(rebuildEnv, env);
  const logger = createLogger({ serviceName: 'order', level: config.LOG_LEVEL });
  const database = new OrderDatabase(databaseUrlOf('order', config));
  const redis = new OrderRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  try {
    const store = new OrderEventStore(database);
    return await rebuilder(database, store, viewCache(redis, config, logger), config, logger).rebuild();
  } finally {
    await redis.onApplicationShutdown();
    await database.onApplicationShutdown();
  }
}

if (require.main === module) {
  rebuildOrderView().then(
    (report) => console.log(JSON.stringify({ msg: 'order view rebuilt', ...report })),
    (err: unknown) => {
      console.error('order view rebuild failed:', err);
      process.exitCode = 1;
    },
  );
}
