import type { Product } from '../../domain/product';

/** A product as the API returns it (and as it is cached: JSON, dates as ISO strings). */
export type ProductView = Omit<Product, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

export function productView(product: Product): ProductView {
  return {
    ...product,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
