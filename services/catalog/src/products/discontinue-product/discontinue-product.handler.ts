import { discontinueProduct } from '../../domain/product';
import type { ProductCache } from '../shared/product-cache';
import type { ProductStore } from '../shared/product-store';
import { productView, type ProductView } from '../shared/product-view';

export class DiscontinueProductHandler {
  constructor(
    private readonly store: ProductStore,
    private readonly cache: ProductCache,
  ) {}

  /** ProductDiscontinued once; discontinuing again answers the product unchanged. */
  async execute(id: string): Promise<ProductView> {
    const now = new Date();
    const result = await this.store.change(id, (product) => discontinueProduct(product, now));
    if (result.changes.length > 0) await this.cache.invalidateAfterCommit(id);
    return productView(result.product);
  }
}
