import type { RedisCache } from '@shop/redis';
import type { Page } from '../../domain/pagination';
import type { ProductView } from './product-view';

export const productCacheKey = (id: string): string => `product:${id}`;
export const LIST_CACHE_PREFIX = 'products:list:';

export interface ProductCacheOptions {
  productTtlMs: number;
  listTtlMs: number;
  log?: (message: string, err: unknown) => void;
}

/**
 * Cache-aside for product reads: one entry per product, one per list page
 * (keyed by the canonical query). A write changes one product, but that
 * product may sit on any cached page (and changes totals), so a write drops
 * the product's entry and every list page. Without a RedisCache (TTL 0) every
 * read goes to Postgres.
 */
export class ProductCache {
  constructor(
    private readonly cache: RedisCache | undefined,
    private readonly options: ProductCacheOptions,
  ) {}

  get enabled(): boolean {
    return this.cache !== undefined;
  }

  product(id: string, load: () => Promise<ProductView | null>): Promise<ProductView | null> {
    if (!this.cache || this.options.productTtlMs === 0) return load();
    return this.cache.getOrLoad(productCacheKey(id), load, { ttlMs: this.options.productTtlMs });
  }

  list(canonicalQuery: string, load: () => Promise<Page<ProductView>>): Promise<Page<ProductView>> {
    if (!this.cache || this.options.listTtlMs === 0) return load();
    return this.cache.getOrLoad(LIST_CACHE_PREFIX + canonicalQuery, load, { ttlMs: this.options.listTtlMs });
  }

  /** Drops what a change of this product makes stale. Throws when Redis fails (event handlers retry). */
  async invalidate(productId: string): Promise<void> {
    if (!this.cache) return;
    await this.cache.invalidate(productCacheKey(productId));
    await this.cache.invalidateByPrefix(LIST_CACHE_PREFIX);
  }

  /**
   * Right after a write committed, so the writer reads its own write. Never
   * fails the request (the write is committed); the product's event repeats
   * the invalidation through the consumer, which does retry.
   */
  async invalidateAfterCommit(productId: string): Promise<void> {
    try {
      await this.invalidate(productId);
    } catch (err) {
      this.options.log?.(`cache invalidation of product ${productId} after commit failed`, err);
    }
  }
}
