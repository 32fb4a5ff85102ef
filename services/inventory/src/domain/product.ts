/** The catalog's product statuses, as the stock records keep them. */
export const PRODUCT_STATUSES = ['active', 'discontinued'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/**
 * Only active products can be reserved. A discontinued product's existing
 * reservations still commit or release normally; new ones are refused as
 * UNKNOWN_PRODUCT (see README: the product is gone for good, so "out of
 * stock", which suggests waiting, would mislead).
 */
export function isReservable(status: ProductStatus): boolean {
  return status === 'active';
}
