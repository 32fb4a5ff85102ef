import type { RedisCache } from '@shop/redis';
import type { OrderView } from './order-view-projection';

export const ORDER_CACHE_PREFIX = 'order-view:';
export const ORDER_LIST_CACHE_PREFIX = 'order-list:';
export const orderCacheKey = (orderId: string): string => ORDER_CACHE_PREFIX + orderId;
/** Every cached page of one customer's list starts with this (customer ids are encoded: no ':' inside). */
export const customerListCachePrefix = (customerId: string): string =>
  `${ORDER_LIST_CACHE_PREFIX}${encodeURIComponent(customerId)}:`;

export interface OrderViewCacheOptions {
  /** 0: order reads are not cached. */
  orderTtlMs: number;
  /** 0: list pages are not cached. */
  listTtlMs: number;
}

/**
 * Cache-aside for the view's queries (RedisCache: TTL with jitter, single
 * flight in and across processes, reads that skip Redis when it is down).
 * One entry per order (`null` for an unknown id is cached too) and one per
 * list page of a customer. A change of an order drops its entry and every
 * cached page of its customer (the order may move, totals change).
 */
export class OrderViewCache {
  constructor(
    private readonly cache: RedisCache | undefined,
    private readonly options: OrderViewCacheOptions,
  ) {}

  order(orderId: string, load: () => Promise<OrderView | null>): Promise<OrderView | null> {
    if (!this.cache || this.options.orderTtlMs === 0) return load();
    return this.cache.getOrLoad(orderCacheKey(orderId), load, { ttlMs: this.options.orderTtlMs });
  }

  list<T>(customerId: string, canonicalQuery: string, load: () => Promise<T>): Promise<T> {
    if (!this.cache || this.options.listTtlMs === 0) return load();
    return this.cache.getOrLoad(customerListCachePrefix(customerId) + canonicalQuery, load, {
      ttlMs: this.options.listTtlMs,
    });
  }

  /** After a change of the order committed. Throws when Redis fails (the consumer retries the message). */
  async invalidate(orderId: string, customerId: string): Promise<void> {
    if (!this.cache) return;
    await this.cache.invalidate(orderCacheKey(orderId));
    await this.cache.invalidateByPrefix(customerListCachePrefix(customerId));
  }

  /** After a rebuild: every order and every list. */
  async clear(): Promise<void> {
    if (!this.cache) return;
    await this.cache.invalidateByPrefix(ORDER_CACHE_PREFIX);
    await this.cache.invalidateByPrefix(ORDER_LIST_CACHE_PREFIX);
  }
}
