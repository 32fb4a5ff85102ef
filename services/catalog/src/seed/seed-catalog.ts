import { uuidv7 } from '@shop/contracts';
import { createProduct, type NewProduct } from '../domain/product';
import type { CatalogDatabase } from '../infrastructure/catalog-database';
import type { ProductStore } from '../products/shared/product-store';

export interface SeedResult {
  created: number;
  skipped: number;
}

/**
 * Loads `products` through the catalog's write path (ProductStore: row +
 * ProductCreated in the outbox, one transaction each), skipping SKUs that
 * exist: running it again creates nothing. The service's relay publishes the
 * events.
 */
export async function seedCatalog(
  database: CatalogDatabase,
  store: ProductStore,
  products: readonly NewProduct[],
  concurrency = 4,
): Promise<SeedResult> {
  const existing = new Set(
    (await database.prisma.product.findMany({ select: { sku: true } })).map((p) => p.sku),
  );
  const missing = products
    .map((input) => createProduct(input, uuidv7(), new Date()))
    .filter((product) => !existing.has(product.sku));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < missing.length) await store.insert(missing[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { created: missing.length, skipped: products.length - missing.length };
}
