import { z } from 'zod';

/** At least one of name, description, priceCents; `expectedVersion` makes the update conditional (409 if stale). */
export const UpdateProductBodySchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    priceCents: z.number().optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined || b.priceCents !== undefined, {
    message: 'must change at least one of name, description, priceCents',
  });

export type UpdateProductBody = z.output<typeof UpdateProductBodySchema>;
