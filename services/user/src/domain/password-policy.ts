export const MIN_PASSWORD_LENGTH = 10;
/** Long passphrases are welcome; this only bounds the hashing input. */
export const MAX_PASSWORD_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 4;

/** A few of the most common passwords that satisfy the length rule; the rules below catch the rest of the easy ones. */
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  '1q2w3e4r5t',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'admin12345',
  'changeme123',
]);

export interface PasswordContext {
  /** Normalized email of the account. */
  email: string;
  name?: string;
}

/**
 * Why this password is too weak for this account, one sentence per rule it
 * breaks (none: acceptable). Length is what matters most (NIST SP 800-63B):
 * no composition rules, but no password made of the account's own email or
 * name, a well-known password, or a few repeated characters.
 */
export function passwordProblems(password: string, account: PasswordContext): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (length > MAX_PASSWORD_LENGTH) problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  const lowered = password.toLowerCase();
  const localPart = account.email.split('@')[0] ?? '';
  if (lowered === account.email || (localPart.length >= 3 && lowered.includes(localPart))) {
    problems.push('must not contain your email address');
  }
  const name = account.name?.trim().toLowerCase() ?? '';
  if (name.length >= 3 && lowered.includes(name)) problems.push('must not contain your name');
  if (COMMON_PASSWORDS.has(lowered)) problems.push('is one of the most common passwords');
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    problems.push(`must use at least ${MIN_DISTINCT_CHARACTERS} different characters`);
  }
  return problems;
}
