import { z } from 'zod';
import { MAX_RESTOCK_QUANTITY } from '../domain';

export const RestockBodySchema = z.strictObject({
  quantity: z
    .number()
    .int('must be a whole number')
    .positive('must be at least 1')
    .max(MAX_RESTOCK_QUANTITY, `must be at most ${MAX_RESTOCK_QUANTITY}`),
});
export type RestockBody = z.output<typeof RestockBodySchema>;

/** Printable ASCII without spaces, like the gateway's order keys (a UUID fits). */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable characters without spaces')
  .optional();
