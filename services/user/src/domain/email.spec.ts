import { emailField, normalizeEmail } from './email';

describe('email normalization', () => {
  it('trims and lower-cases, so one address is one account', () => {
    expect(normalizeEmail('  Ann.Lee@Example.COM ')).toBe('ann.lee@example.com');
  });

  it('normalizes Unicode to NFC', () => {
    expect(normalizeEmail('Jose\u0301@example.com')).toBe('jos\u00e9@example.com');
  });

  it('accepts a normalized valid address and rejects malformed ones', () => {
    expect(emailField.parse(' Ann@Example.com')).toBe('ann@example.com');
    for (const bad of [
      'ann',
      'ann@',
      '@example.com',
      'ann @example.com',
      'ann@example',
      `${'a'.repeat(250)}@x.io`,
    ]) {
      expect(emailField.safeParse(bad).success).toBe(false);
    }
  });
});
