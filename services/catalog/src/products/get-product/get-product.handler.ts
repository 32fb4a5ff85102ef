import type { CatalogDatabase } from '../../infrastructure/catalog-database';
import type { ProductCache } from '../shared/product-cache';
import { productNotFound } from '../shared/product-errors';
import { productFromRow } from '../shared/product-row';
import { productView, type ProductView } from '../shared/product-view';

export class GetProductHandler {
  constructor(
    private readonly database: CatalogDatabase,
    private readonly cache: ProductCache,
  ) {}

  /** The product, from the cache or Postgres; 404 when there is none (the miss is cached too, as null). */
  async execute(id: string): Promise<ProductView> {
    const product = await this.cache.product(id, async () => {
      const row = await this.database.prisma.product.findUnique({ where: { id } });
      return row ? productView(productFromRow(row)) : null;
    });
    if (!product) throw productNotFound(id);
    return product;
  }
}
