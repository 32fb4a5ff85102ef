import { z } from 'zod';
import { emailField } from '../domain/email';

export const LoginSchema = z.object({
  email: emailField,
  password: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(1024),
});
export type LoginRequest = z.output<typeof LoginSchema>;
