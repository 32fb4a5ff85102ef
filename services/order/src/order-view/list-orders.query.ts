import { z } from 'zod';
import { ORDER_STATUSES } from '../domain';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

/** `GET /orders?status=&page=&limit=&customerId=` (customerId: admins only). */
export const ListOrdersQuerySchema = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  /** Whose orders; default the caller. Another customer's needs the admin role. */
  customerId: z.string().trim().min(1).max(256).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
});

export type ListOrdersQuery = z.output<typeof ListOrdersQuerySchema>;

/** The cache key part of a query (the customer is in the key's prefix). */
export function canonicalListQuery({ status, page, limit }: ListOrdersQuery): string {
  return `${status ?? '*'}:${page}:${limit}`;
}
