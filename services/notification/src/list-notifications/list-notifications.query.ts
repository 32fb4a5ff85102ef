import { z } from 'zod';
import { decodeCursor } from '../domain/notification-cursor';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

/** `GET /notifications?limit=20&cursor=<nextCursor of the previous page>` */
export const ListNotificationsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_LIMIT, `must be at most ${MAX_PAGE_LIMIT}`)
    .default(DEFAULT_PAGE_LIMIT),
  cursor: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const cursor = decodeCursor(text);
      if (!cursor)
        ctx.addIssue({ code: 'custom', message: 'must be a nextCursor returned by this endpoint' });
      return cursor;
    }),
});

export type ListNotificationsQuery = z.output<typeof ListNotificationsQuerySchema>;
