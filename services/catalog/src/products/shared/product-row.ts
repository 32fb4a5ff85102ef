import type { Product, ProductStatus } from '../../domain/product';

/** The columns of `products` under the domain's names, for raw queries. */
export const PRODUCT_COLUMNS = `id::text AS id, sku, name, description, price_cents AS "priceCents",
  currency::text AS currency, status, version, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A row as the driver returns it: `status` is not yet checked against the domain's values. */
export type ProductRow = Omit<Product, 'status'> & { status: string };

export function productFromRow(row: ProductRow): Product {
  return { ...row, status: row.status as ProductStatus };
}
