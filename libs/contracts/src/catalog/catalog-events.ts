import { z } from 'zod';
import { defineMessage, type MessageOf } from '../messages/message-definition';
import { TOPICS } from '../topics';

/** The product as consumers keep it (order's price replica, inventory's stock records). */
export const ProductSnapshotSchema = z.object({
  productId: z.uuid(),
  sku: z.string().min(1),
  name: z.string().min(1),
  /** Minor units (cents), > 0. */
  priceCents: z.number().int().positive(),
  /** ISO 4217 alphabetic code, upper case. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  status: z.enum(['active', 'discontinued']),
  /** The product's version after the change; also the envelope's aggregateVersion. */
  version: z.number().int().positive(),
});
export type ProductSnapshot = z.infer<typeof ProductSnapshotSchema>;

/**
 * The catalog's events on `catalog.events`, keyed by productId. Every one
 * carries the whole snapshot, so a consumer can upsert its replica from any
 * single event and ignore older versions (apply only if version > stored).
 *
 * `catalogEvents(topic)` builds the same definitions on another topic: the
 * catalog service's integration suites publish to a topic of their own on the
 * shared dev broker. Everyone else uses the constants below.
 */
export function catalogEvents(topic: string = TOPICS.catalogEvents.name) {
  const ProductCreatedV1 = defineMessage({
    type: 'ProductCreated',
    version: 1,
    topic,
    schema: ProductSnapshotSchema.extend({ description: z.string() }),
  });
  const ProductPriceChangedV1 = defineMessage({
    type: 'ProductPriceChanged',
    version: 1,
    topic,
    schema: ProductSnapshotSchema.extend({ previousPriceCents: z.number().int().positive() }),
  });
  /** Name and/or description changed (no price change). */
  const ProductDetailsChangedV1 = defineMessage({
    type: 'ProductDetailsChanged',
    version: 1,
    topic,
    schema: ProductSnapshotSchema.extend({ description: z.string() }),
  });
  const ProductDiscontinuedV1 = defineMessage({
    type: 'ProductDiscontinued',
    version: 1,
    topic,
    schema: ProductSnapshotSchema,
  });
  return {
    ProductCreatedV1,
    ProductPriceChangedV1,
    ProductDetailsChangedV1,
    ProductDiscontinuedV1,
    all: [ProductCreatedV1, ProductPriceChangedV1, ProductDetailsChangedV1, ProductDiscontinuedV1] as const,
  };
}

export type CatalogEventDefinitions = ReturnType<typeof catalogEvents>;

export const CATALOG_EVENTS = catalogEvents();
export const { ProductCreatedV1, ProductPriceChangedV1, ProductDetailsChangedV1, ProductDiscontinuedV1 } =
  CATALOG_EVENTS;

export type ProductCreated = MessageOf<typeof ProductCreatedV1>;
export type ProductPriceChanged = MessageOf<typeof ProductPriceChangedV1>;
export type ProductDetailsChanged = MessageOf<typeof ProductDetailsChangedV1>;
export type ProductDiscontinued = MessageOf<typeof ProductDiscontinuedV1>;
export type CatalogEvent = ProductCreated | ProductPriceChanged | ProductDetailsChanged | ProductDiscontinued;
