import type { CatalogEventDefinitions, MessageEnvelope, ProductSnapshot } from '@shop/contracts';
import type { Product, ProductChange } from '../../domain/product';

export const CATALOG_SOURCE = 'catalog';

/** The events of a list of changes, in order (aggregateVersion = the product's version after each). */
export function eventsOf(
  events: CatalogEventDefinitions,
  changes: readonly ProductChange[],
): MessageEnvelope[] {
  return changes.map((change) => eventOf(events, change));
}

function eventOf(events: CatalogEventDefinitions, change: ProductChange): MessageEnvelope {
  const { product } = change;
  const envelope = { source: CATALOG_SOURCE, aggregateId: product.id, aggregateVersion: product.version };
  switch (change.kind) {
    case 'created':
      return events.ProductCreatedV1.create({
        ...envelope,
        payload: { ...snapshotOf(product), description: product.description },
      });
    case 'price-changed':
      return events.ProductPriceChangedV1.create({
        ...envelope,
        payload: { ...snapshotOf(product), previousPriceCents: change.previousPriceCents },
      });
    case 'details-changed':
      return events.ProductDetailsChangedV1.create({
        ...envelope,
        payload: { ...snapshotOf(product), description: product.description },
      });
    case 'discontinued':
      return events.ProductDiscontinuedV1.create({ ...envelope, payload: snapshotOf(product) });
  }
}

export function snapshotOf(product: Product): ProductSnapshot {
  return {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    priceCents: product.priceCents,
    currency: product.currency,
    status: product.status,
    version: product.version,
  };
}
