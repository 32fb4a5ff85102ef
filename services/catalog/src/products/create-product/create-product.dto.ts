import { z } from 'zod';

/**
 * Types only: the product rules (SKU format, price > 0, ISO 4217 currency,
 * lengths) are the domain's (src/domain/product.ts) and answer the same 400.
 */
export const CreateProductBodySchema = z.strictObject({
  sku: z.string(),
  name: z.string(),
  description: z.string().optional(),
  priceCents: z.number(),
  currency: z.string(),
});

export type CreateProductBody = z.output<typeof CreateProductBodySchema>;
