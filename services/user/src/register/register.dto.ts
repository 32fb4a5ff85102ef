import { z } from 'zod';
import { emailField } from '../domain/email';
import { MAX_PASSWORD_LENGTH } from '../domain/password-policy';

export const RegisterSchema = z.object({
  email: emailField,
  // The policy (length, ...) is checked after parsing so it can name every reason at once.
  password: z.string({ error: 'must be a string' }).max(MAX_PASSWORD_LENGTH * 4, { error: 'is too long' }),
  name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(100),
});
export type RegisterRequest = z.output<typeof RegisterSchema>;

export interface UserView {
  id: string;
  email: string;
  name: string;
  roles: string[];
  createdAt: string;
}
