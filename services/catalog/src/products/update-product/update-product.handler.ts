import { changeProduct } from '../../domain/product';
import type { ProductCache } from '../shared/product-cache';
import type { ProductStore } from '../shared/product-store';
import { productView, type ProductView } from '../shared/product-view';
import type { UpdateProductBody } from './update-product.dto';

export class UpdateProductHandler {
  constructor(
    private readonly store: ProductStore,
    private readonly cache: ProductCache,
  ) {}

  /** Name/description (ProductDetailsChanged) and price (ProductPriceChanged) changes. */
  async execute(id: string, { expectedVersion, ...changes }: UpdateProductBody): Promise<ProductView> {
    const now = new Date();
    const result = await this.store.change(
      id,
      (product) => changeProduct(product, changes, now),
      expectedVersion,
    );
    if (result.changes.length > 0) await this.cache.invalidateAfterCommit(id);
    return productView(result.product);
  }
}
