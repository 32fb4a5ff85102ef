import { uuidv7 } from '@shop/contracts';
import { createProduct, type NewProduct, type Product } from '../../domain/product';
import type { ProductCache } from '../shared/product-cache';
import { asApiError } from '../shared/product-errors';
import type { ProductStore } from '../shared/product-store';
import { productView, type ProductView } from '../shared/product-view';

export class CreateProductHandler {
  constructor(
    private readonly store: ProductStore,
    private readonly cache: ProductCache,
  ) {}

  /** Creates an active product (and its ProductCreated event); 400 on a broken rule, 409 on a taken SKU. */
  async execute(input: NewProduct): Promise<ProductView> {
    let product: Product;
    try {
      product = createProduct(input, uuidv7(), new Date());
    } catch (err) {
      throw asApiError(err);
    }
    await this.store.insert(product);
    await this.cache.invalidateAfterCommit(product.id); // list pages now miss it
    return productView(product);
  }
}
