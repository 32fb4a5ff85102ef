/**
 * GET /products/:id with a warm Redis cache vs the cache disabled
 * (PRODUCT_CACHE_TTL_MS=0: every read goes to Postgres), same run, same
 * seeded catalog, same database:  npm run bench -- catalog
 */
import { catalogEvents, MessageRegistry } from '@shop/contracts';
import { OutboxWriter } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import {
  createTestEnvironment,
  measureThroughput,
  printFigures,
  quantile,
  serviceInfrastructure,
} from '@shop/testing';
import { CatalogDatabase } from '../src/infrastructure/catalog-database';
import { ProductStore } from '../src/products/shared/product-store';
import { generateCatalog } from '../src/seed/catalog-generator';
import { seedCatalog } from '../src/seed/seed-catalog';
import { startCatalog, type RunningCatalog } from '../src/test-support/start-catalog';

const PRODUCTS = 300;
const REQUESTS = 4_000;
const CONCURRENCY = 16;

async function measure(service: RunningCatalog, ids: readonly string[]) {
  const latenciesMs: number[] = [];
  const get = async (i: number) => {
    const started = performance.now();
    const response = await fetch(`${service.url}/products/${ids[i % ids.length]}`);
    if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
    await response.arrayBuffer();
    latenciesMs.push(performance.now() - started);
  };
  await measureThroughput(500, CONCURRENCY, get); // JIT and connection warm-up, not counted
  latenciesMs.length = 0;
  const throughput = await measureThroughput(REQUESTS, CONCURRENCY, get);
  return {
    perSecond: throughput.perSecond,
    p99: quantile(latenciesMs, 0.99),
    p50: quantile(latenciesMs, 0.5),
  };
}

async function main(): Promise<void> {
  const env = await createTestEnvironment('catalog-bench', {
    postgres: migrationsOf('catalog'),
    redis: true,
    kafka: true,
  });
  const topic = await env.kafka.topic('catalog-events');
  const settings = {
    ...serviceInfrastructure(env),
    eventsTopic: topic,
  };
  const cached = await startCatalog({ ...settings, cacheGroup: env.kafka.groupId('cache') });
  const uncached = await startCatalog({
    ...settings,
    cacheGroup: env.kafka.groupId('no-cache'),
    env: { PRODUCT_CACHE_TTL_MS: '0' },
  });
  const database = new CatalogDatabase(env.postgres.url);
  try {
    const events = catalogEvents(topic);
    const store = new ProductStore(
      database,
      new OutboxWriter({ registry: new MessageRegistry([...events.all]) }),
      events,
    );
    await seedCatalog(database, store, generateCatalog(PRODUCTS));
    const ids = (
      await database.prisma.product.findMany({ select: { id: true }, orderBy: { sku: 'asc' } })
    ).map((p) => p.id);

    const baseline = await measure(uncached, ids);
    const warm = await measure(cached, ids); // its warm-up round fills the cache
    const ratio = warm.perSecond / baseline.perSecond;
    printFigures(
      `catalog: GET /products/:id, ${PRODUCTS} seeded products, ${REQUESTS} requests, concurrency ${CONCURRENCY}`,
      [
        {
          name: 'cache disabled (Postgres every read)',
          value: baseline.perSecond,
          unit: 'req/s',
          note: `1.00x baseline; p50 ${baseline.p50.toFixed(2)} ms, p99 ${baseline.p99.toFixed(2)} ms`,
        },
        {
          name: 'warm Redis cache',
          value: warm.perSecond,
          unit: 'req/s',
          note: `${ratio.toFixed(2)}x baseline; p50 ${warm.p50.toFixed(2)} ms, p99 ${warm.p99.toFixed(2)} ms`,
        },
        { name: 'p99 cache disabled', value: baseline.p99, unit: 'ms' },
        {
          name: 'p99 warm cache',
          value: warm.p99,
          unit: 'ms',
          note: `${(warm.p99 / baseline.p99).toFixed(2)}x the baseline's p99`,
        },
      ],
    );
  } finally {
    await database.onApplicationShutdown();
    await cached.app.close();
    await uncached.app.close();
    await env.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
