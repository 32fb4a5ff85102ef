import {
  IDENTITY_HEADERS,
  MIN_IDENTITY_SECRET_LENGTH,
  signIdentity,
  verifyIdentity,
  type SignedIdentityHeaders,
} from './identity-signature';

const SECRET = 's'.repeat(MIN_IDENTITY_SECRET_LENGTH);
const OTHER_SECRET = 'o'.repeat(MIN_IDENTITY_SECRET_LENGTH);

describe('signIdentity / verifyIdentity', () => {
  const signed = signIdentity({ userId: 'user-1', roles: ['customer', 'admin'] }, SECRET);

  it('signs the id and roles into three headers that verify to the same identity', () => {
    expect(signed).toEqual({
      'x-shop-user-id': 'user-1',
      'x-shop-user-roles': 'customer,admin',
      'x-shop-identity-signature': expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(verifyIdentity(signed, SECRET)).toEqual({
      ok: true,
      identity: { userId: 'user-1', roles: ['customer', 'admin'] },
    });
  });

  it('is deterministic, and differs for any other id, roles or secret', () => {
    const signature = (headers: SignedIdentityHeaders) => headers[IDENTITY_HEADERS.signature];
    expect(signature(signIdentity({ userId: 'user-1', roles: ['customer', 'admin'] }, SECRET))).toBe(
      signature(signed),
    );
    const others = [
      signIdentity({ userId: 'user-2', roles: ['customer', 'admin'] }, SECRET),
      signIdentity({ userId: 'user-1', roles: ['customer'] }, SECRET),
      signIdentity({ userId: 'user-1', roles: ['customer', 'admin'] }, OTHER_SECRET),
    ].map(signature);
    expect(new Set([signature(signed), ...others]).size).toBe(4);
  });

  it('round-trips a caller without roles', () => {
    const headers = signIdentity({ userId: 'user-3', roles: [] }, SECRET);
    expect(headers[IDENTITY_HEADERS.roles]).toBe('');
    expect(verifyIdentity(headers, SECRET)).toEqual({ ok: true, identity: { userId: 'user-3', roles: [] } });
  });

  it('reports missing identity headers as missing', () => {
    expect(verifyIdentity({}, SECRET)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyIdentity({ [IDENTITY_HEADERS.roles]: 'admin' }, SECRET)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it.each<[string, Record<string, string | string[] | undefined>]>([
    ['no signature', { ...signed, [IDENTITY_HEADERS.signature]: undefined }],
    ['no user id', { ...signed, [IDENTITY_HEADERS.userId]: undefined }],
    ['a repeated user id header', { ...signed, [IDENTITY_HEADERS.userId]: ['user-1', 'user-1'] }],
    [
      'a repeated signature header',
      { ...signed, [IDENTITY_HEADERS.signature]: [signed['x-shop-identity-signature']] },
    ],
  ])('reports %s as malformed', (_case, headers) => {
    expect(verifyIdentity(headers, SECRET)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each<[string, Record<string, string>]>([
    ['another user id', { ...signed, [IDENTITY_HEADERS.userId]: 'user-2' }],
    ['added roles', { ...signed, [IDENTITY_HEADERS.roles]: 'customer,admin,support' }],
    ['dropped roles', { ...signed, [IDENTITY_HEADERS.roles]: 'customer' }],
    [
      'a signature of another secret',
      signIdentity({ userId: 'user-1', roles: ['customer', 'admin'] }, OTHER_SECRET),
    ],
    [
      'a truncated signature',
      { ...signed, [IDENTITY_HEADERS.signature]: signed['x-shop-identity-signature'].slice(1) },
    ],
  ])('rejects %s as a bad signature', (_case, headers) => {
    expect(verifyIdentity(headers, SECRET)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses secrets shorter than the minimum, both ways', () => {
    const short = 'x'.repeat(MIN_IDENTITY_SECRET_LENGTH - 1);
    expect(() => signIdentity({ userId: 'u', roles: [] }, short)).toThrow(/at least 32 characters/);
    expect(() => verifyIdentity(signed, short)).toThrow(/at least 32 characters/);
  });

  it('refuses to sign ids or roles the header format cannot carry unambiguously', () => {
    expect(() => signIdentity({ userId: 'two words', roles: [] }, SECRET)).toThrow(/user id/);
    expect(() => signIdentity({ userId: '', roles: [] }, SECRET)).toThrow(/user id/);
    expect(() => signIdentity({ userId: 'u', roles: ['admin,customer'] }, SECRET)).toThrow(/role/);
    expect(() => signIdentity({ userId: 'u', roles: ['Admin'] }, SECRET)).toThrow(/role/);
  });
});
