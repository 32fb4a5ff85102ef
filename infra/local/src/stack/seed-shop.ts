import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { signIdentity } from '@shop/contracts';
import { REPO_ROOT } from './service-instance';
import type { Stack } from './start-stack';

/** Units each seeded product starts with. */
export const SEED_STOCK_PER_PRODUCT = 100;
const SEED_PRODUCTS = 1_200;

/**
 * Fills an empty shop, and changes nothing in a seeded one: the catalog's
 * own seed (products + ProductCreated events through its outbox), then,
 * once inventory has heard of each product, a restock of SEED_STOCK_PER_PRODUCT
 * for every product that was never restocked (idempotency key per product).
 */
export async function seedShop(
  stack: Stack,
  log: (line: string) => void,
  products = SEED_PRODUCTS,
): Promise<void> {
  await runCatalogSeed(stack, products);
  const ids = await listProductIds(stack.urlOf('catalog'));
  const admin = signIdentity(
    { userId: 'local-seed', roles: ['admin'] },
    stack.secret('IDENTITY_HMAC_SECRET'),
  );
  let restocked = 0;
  await forEachConcurrently(ids, 8, async (productId) => {
    const stock = await waitForStockRecord(stack.urlOf('inventory'), productId, admin);
    if (stock.restocked > 0) return;
    const response = await fetch(`${stack.urlOf('inventory')}/inventory/${productId}/restock`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'idempotency-key': `seed-${productId}` },
      body: JSON.stringify({ quantity: SEED_STOCK_PER_PRODUCT }),
    });
    if (!response.ok) throw new Error(`restock ${productId}: ${response.status} ${await response.text()}`);
    restocked++;
  });
  log(
    `${ids.length} products in the catalog; ${restocked} restocked with ${SEED_STOCK_PER_PRODUCT} units each`,
  );
}

async function runCatalogSeed(stack: Stack, products: number): Promise<void> {
  const script = resolve(REPO_ROOT, 'services/catalog/src/seed/seed.ts');
  const child = spawn(
    process.execPath,
    ['--require', resolve(REPO_ROOT, 'tools/register.cjs'), script, String(products)],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...stack.environmentOf('catalog', 'catalog-seed') },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`The catalog seed failed (exit ${code})`);
}

async function listProductIds(catalogUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(`${catalogUrl}/products?limit=100&page=${page}`);
    const body = (await response.json()) as { items: { id: string }[]; total: number };
    ids.push(...body.items.map((item) => item.id));
    if (body.items.length === 0 || ids.length >= body.total) return ids;
  }
}

/** Inventory creates stock records from the catalog's events: wait until this one arrived. */
async function waitForStockRecord(
  inventoryUrl: string,
  productId: string,
  headers: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ restocked: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${inventoryUrl}/inventory/${productId}`, { headers });
    if (response.ok) return (await response.json()) as { restocked: number };
    await response.arrayBuffer();
    if (response.status !== 404) throw new Error(`GET stock of ${productId}: ${response.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Inventory did not learn of product ${productId} within ${timeoutMs} ms`);
}

async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
