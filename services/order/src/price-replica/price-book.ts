import type { ProductSnapshot } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import type { PriceBook, PricedProduct } from '../domain';

/** Insert, or overwrite only with a newer version: the guard is in the statement, so any order of delivery converges. */
export async function upsertPrice(tx: SqlExecutor, product: ProductSnapshot): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO product_prices (product_id, sku, name, price_cents, currency, status, version, updated_at)
     VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (product_id) DO UPDATE
       SET sku = EXCLUDED.sku, name = EXCLUDED.name, price_cents = EXCLUDED.price_cents,
           currency = EXCLUDED.currency, status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
       WHERE product_prices.version < EXCLUDED.version
     RETURNING 1`,
    [
      product.productId,
      product.sku,
      product.name,
      product.priceCents,
      product.currency,
      product.status,
      product.version,
    ],
  );
  return rows.length > 0;
}

interface PriceRow {
  product_id: string;
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  status: PricedProduct['status'];
}

/** The replica's entries for these products (a missing key = unknown to the order service). */
export async function lookupPrices(sql: SqlExecutor, productIds: readonly string[]): Promise<PriceBook> {
  const rows = await sql.query<PriceRow>(
    `SELECT product_id, sku, name, price_cents, currency, status FROM product_prices WHERE product_id = ANY($1::uuid[])`,
    [[...new Set(productIds)]],
  );
  return new Map(
    rows.map((r) => [
      r.product_id,
      {
        productId: r.product_id,
        sku: r.sku,
        name: r.name,
        priceCents: r.price_cents,
        currency: r.currency.trim(),
        status: r.status,
      },
    ]),
  );
}
