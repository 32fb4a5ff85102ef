import { z } from 'zod';

/**
 * The one form an address is stored and looked up in: trimmed, Unicode NFC,
 * lower case. Local parts are case-sensitive in theory only; treating
 * `Ann@x.io` and `ann@x.io` as two accounts invites duplicates and account
 * confusion.
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

/** A request field holding an email: normalized, then checked (at most 254 characters, RFC 5321). */
export const emailField = z
  .string({ error: 'must be a string' })
  .transform(normalizeEmail)
  .pipe(z.email({ error: 'is not a valid email address' }).max(254, { error: 'is too long' }));
