import type { Product, ProductStatus } from '../../domain/product';

/** A product as the API returns it (and as it is cached: JSON, dates as ISO strings). */
export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  status: ProductStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function productView(product: Product): ProductView {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    currency: product.currency,
    status: product.status,
    version: product.version,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
