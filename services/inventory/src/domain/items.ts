/** A quantity of one product, as in the inventory commands and replies. */
export interface StockItem {
  productId: string;
  quantity: number;
}

/**
 * One entry per product, quantities of repeated products summed, sorted by
 * productId: the order in which stock rows are locked (a fixed order, so two
 * reservations of the same products never deadlock).
 */
export function mergeItems(items: readonly StockItem[]): StockItem[] {
  const merged = new Map<string, number>();
  for (const item of items) {
    const productId = item.productId.toLowerCase(); // Postgres prints uuids in lower case
    merged.set(productId, (merged.get(productId) ?? 0) + item.quantity);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

/** Distinct product ids, sorted: the lock order. */
export function lockOrder(productIds: Iterable<string>): string[] {
  return [...new Set([...productIds].map((id) => id.toLowerCase()))].sort();
}
