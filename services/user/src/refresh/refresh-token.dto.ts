import { z } from 'zod';

export const RefreshTokenSchema = z.object({
  refreshToken: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(512),
});
export type RefreshTokenRequest = z.output<typeof RefreshTokenSchema>;
