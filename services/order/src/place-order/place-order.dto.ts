import { PAYMENT_TOKEN_PATTERN } from '@shop/contracts';
import { z } from 'zod';

/**
 * The request's shape. Quantities must be positive integers here; the order
 * rules (at most 50 products, 100 per product, prices, currencies) are the
 * domain's (src/domain/order.ts) and answer 400/422 the same way.
 */
export const PlaceOrderBodySchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        // Lower case: the replica's ids are, and the same order must hash the same.
        productId: z.uuid().transform((id) => id.toLowerCase()),
        quantity: z.number().int().positive(),
      }),
    )
    .min(1)
    .max(200),
  paymentMethod: z.strictObject({
    token: z.string().regex(PAYMENT_TOKEN_PATTERN, 'must be a payment token (tok_...)'),
  }),
});
export type PlaceOrderBody = z.output<typeof PlaceOrderBodySchema>;

/** `Idempotency-Key`: 1-255 printable ASCII characters, chosen by the client, scoped to the customer. */
export const IdempotencyKeySchema = z
  .string({ error: 'is required' })
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 printable characters without spaces');

export interface PlaceOrderAccepted {
  orderId: string;
  status: 'PENDING';
  statusUrl: string;
}
