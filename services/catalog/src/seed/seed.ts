/**
 * Seeds the catalog database with a deterministic catalog (idempotent):
 *   node --require ./tools/register.cjs services/catalog/src/seed/seed.ts [count]
 * Reads CATALOG_DATABASE_URL / POSTGRES_URL and CATALOG_EVENTS_TOPIC; applies
 * pending migrations first. Events are published by the running service's relay.
 */
import { catalogEvents, MessageRegistry } from '@shop/contracts';
import { OutboxWriter } from '@shop/messaging';
import { migrateOnStart } from '@shop/persistence';
import { databaseUrlOf, loadServiceConfig } from '@shop/service-kit';
import { catalogEnv } from '../config';
import { CatalogDatabase } from '../infrastructure/catalog-database';
import { ProductStore } from '../products/shared/product-store';
import { DEFAULT_SEED_COUNT, generateCatalog } from './catalog-generator';
import { seedCatalog } from './seed-catalog';

const seedEnv = catalogEnv.pick({
  POSTGRES_URL: true,
  CATALOG_DATABASE_URL: true,
  CATALOG_EVENTS_TOPIC: true,
});

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? DEFAULT_SEED_COUNT);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`count must be a positive integer, got ${process.argv[2]}`);
  const config = loadServiceConfig(seedEnv);
  const databaseUrl = databaseUrlOf('catalog', config);
  await migrateOnStart({ databaseUrl, migrationsDir: `${__dirname}/../../prisma/migrations` });
  const database = new CatalogDatabase(databaseUrl);
  try {
    const events = catalogEvents(config.CATALOG_EVENTS_TOPIC);
    const store = new ProductStore(
      database,
      new OutboxWriter({ registry: new MessageRegistry([...events.all]) }),
      events,
    );
    const result = await seedCatalog(database, store, generateCatalog(count));
    console.log(`[catalog seed] ${result.created} products created, ${result.skipped} already there`);
  } finally {
    await database.onApplicationShutdown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
