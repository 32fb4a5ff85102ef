import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../domain/pagination';
import { PRODUCT_STATUSES } from '../../domain/product';

const cents = z.coerce.number().int('must be an integer number of cents').min(0, 'must be at least 0');

/** `GET /products?search=&status=&minPriceCents=&maxPriceCents=&page=&limit=` */
export const ListProductsQuerySchema = z
  .object({
    search: z.string().trim().max(200).optional(),
    status: z.enum(PRODUCT_STATUSES).optional(),
    minPriceCents: cents.optional(),
    maxPriceCents: cents.optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  })
  .refine(
    (q) =>
      q.minPriceCents === undefined || q.maxPriceCents === undefined || q.minPriceCents <= q.maxPriceCents,
    {
      path: ['minPriceCents'],
      message: 'must not be greater than maxPriceCents',
    },
  );

export type ListProductsQuery = z.output<typeof ListProductsQuerySchema>;
