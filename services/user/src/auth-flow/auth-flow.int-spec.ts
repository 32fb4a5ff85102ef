import { createTestEnvironment, type TestEnvironment } from '@shop/testing';
import { migrationsOf } from '@shop/persistence';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  newAccount,
  startUserService,
  type UserServiceUnderTest,
} from '../__fixtures__/user-service-harness';
import type { TokenPair } from '../sessions/session-issuer';

/** register -> login -> me -> refresh -> logout, the tokens, and the 4xx answers. */
describe('user service: accounts and sessions', () => {
  let env: TestEnvironment;
  let user: UserServiceUnderTest;

  beforeAll(async () => {
    env = await createTestEnvironment('user-auth', { postgres: migrationsOf('user'), redis: true });
    user = await startUserService(infrastructure());
  });
  afterAll(async () => {
    await user?.close();
    await env?.dispose();
  });

  const infrastructure = () => ({
    databaseUrl: env.postgres.url,
    redisUrl: env.redis.url,
    redisKeyPrefix: env.redis.keyPrefix,
    kafkaBrokers: (process.env.KAFKA_BROKERS ?? '').split(','),
  });
  const jwks = () => createRemoteJWKSet(new URL(`${user.url}/.well-known/jwks.json`));
  const verify = (token: string, options: { currentDate?: Date } = {}) =>
    jwtVerify(token, jwks(), {
      issuer: user.config.JWT_ISSUER,
      audience: user.config.JWT_AUDIENCE,
      ...options,
    });

  async function registerAndLogin(label: string) {
    const account = newAccount(label);
    const registered = await user.call('POST', '/users/register', account);
    expect(registered.status).toBe(201);
    const login = await user.call<TokenPair>('POST', '/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(login.status).toBe(200);
    return { account, id: registered.body.id as string, tokens: login.body };
  }

  it('registers, logs in, shows the profile, rotates the refresh token and logs out', async () => {
    const account = newAccount('flow');
    const registered = await user.call('POST', '/users/register', {
      ...account,
      email: `  ${account.email.toUpperCase()} `,
    });
    expect(registered).toMatchObject({
      status: 201,
      body: { id: expect.any(String), email: account.email, name: account.name, roles: ['customer'] },
    });
    expect(registered.body).not.toHaveProperty('passwordHash');
    const id = registered.body.id as string;

    const login = await user.call<TokenPair>('POST', '/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(login).toMatchObject({
      status: 200,
      body: {
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        tokenType: 'Bearer',
      },
    });

    const { payload } = await verify(login.body.accessToken);
    expect(payload).toMatchObject({ sub: id, roles: ['customer'], iss: 'shop-user-service', aud: 'shop' });
    expect(payload.exp! - payload.iat!).toBe(900);

    const me = await user.call(
      'GET',
      '/users/me',
      undefined,
      user.as(payload.sub!, payload.roles as string[]),
    );
    expect(me).toMatchObject({
      status: 200,
      body: { id, email: account.email, name: account.name, roles: ['customer'] },
    });
    expect((await user.call('GET', '/users/me')).status).toBe(401);
    expect((await user.call('GET', '/users/me', undefined, user.as('not-a-uuid', ['customer']))).status).toBe(
      404,
    );

    const refreshed = await user.call<TokenPair>('POST', '/auth/refresh', {
      refreshToken: login.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await verify(refreshed.body.accessToken)).payload.sub).toBe(id);

    const reused = await user.call('POST', '/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(reused).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });

    const second = await registerAndLogin('logout');
    expect(
      (await user.call('POST', '/auth/logout', { refreshToken: second.tokens.refreshToken })).status,
    ).toBe(204);
    expect(
      (await user.call('POST', '/auth/refresh', { refreshToken: second.tokens.refreshToken })).status,
    ).toBe(401);
    expect(
      (await user.call('POST', '/auth/logout', { refreshToken: second.tokens.refreshToken })).status,
    ).toBe(204);
  });

  it('revokes the whole token family when a rotated refresh token is replayed', async () => {
    const { tokens, account } = await registerAndLogin('reuse');
    const next = await user.call<TokenPair>('POST', '/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(next.status).toBe(200);
    // A thief replays the old token: rejected, and the legitimate successor dies with it.
    expect((await user.call('POST', '/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(
      401,
    );
    const successor = await user.call('POST', '/auth/refresh', { refreshToken: next.body.refreshToken });
    expect(successor).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    // Another login of the same account is a separate family and still works.
    const again = await user.call<TokenPair>('POST', '/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect((await user.call('POST', '/auth/refresh', { refreshToken: again.body.refreshToken })).status).toBe(
      200,
    );
  });

  it('rejects expired and unknown refresh tokens with 401', async () => {
    const { tokens, id } = await registerAndLogin('expired-refresh');
    const pool = env.postgres.pool();
    await pool.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [id],
    );
    expect(await user.call('POST', '/auth/refresh', { refreshToken: tokens.refreshToken })).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'The refresh token has expired' } },
    });
    const tampered = tokens.refreshToken.slice(0, -2) + (tokens.refreshToken.endsWith('AA') ? 'BB' : 'AA');
    expect((await user.call('POST', '/auth/refresh', { refreshToken: tampered })).status).toBe(401);
    expect((await user.call('POST', '/auth/refresh', {})).status).toBe(400);
  });

  it('issues access tokens that verify against the served JWKS, and not once tampered or expired', async () => {
    const { tokens, id } = await registerAndLogin('jwt');
    const header = decodeProtectedHeader(tokens.accessToken);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });

    const served = await user.call<{ keys: Record<string, unknown>[] }>('GET', '/.well-known/jwks.json');
    expect(served.body.keys.map((k) => k.kid)).toContain(header.kid);
    for (const key of served.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }

    expect((await verify(tokens.accessToken)).payload.sub).toBe(id);

    const [head, body, signature] = tokens.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['customer', 'admin'] })).toString(
      'base64url',
    );
    await expect(verify(`${head}.${forged}.${signature}`)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });

    const exp = claims.exp as number;
    await expect(
      verify(tokens.accessToken, { currentDate: new Date((exp + 1) * 1000) }),
    ).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
    await expect(
      jwtVerify(tokens.accessToken, jwks(), { issuer: user.config.JWT_ISSUER, audience: 'another-audience' }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('answers 409 for a taken email, in any letter case', async () => {
    const account = newAccount('duplicate');
    expect((await user.call('POST', '/users/register', account)).status).toBe(201);
    const again = await user.call('POST', '/users/register', {
      ...account,
      email: account.email.toUpperCase(),
    });
    expect(again).toEqual({
      status: 409,
      headers: expect.anything(),
      body: { error: { code: 'CONFLICT', message: 'An account with this email already exists' } },
    });
  });

  it('answers 400 with the reasons for a weak password', async () => {
    const account = newAccount('weak');
    const short = await user.call('POST', '/users/register', { ...account, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: {
          issues: expect.arrayContaining([
            { path: 'password', message: 'must be at least 10 characters long' },
          ]),
        },
      },
    });
    const ownEmail = await user.call('POST', '/users/register', { ...account, password: account.email });
    expect(ownEmail.body).toMatchObject({
      error: { details: { issues: [{ path: 'password', message: 'must not contain your email address' }] } },
    });
    // Nothing was created: the account can still register with a good password.
    expect((await user.call('POST', '/users/register', account)).status).toBe(201);
  });

  it('answers 400 for a malformed email or missing fields', async () => {
    const bad = await user.call('POST', '/users/register', { ...newAccount('bad'), email: 'not-an-email' });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          details: { issues: [{ path: 'email', message: 'is not a valid email address' }] },
        },
      },
    });
    const missing = await user.call('POST', '/users/register', { email: 'x@example.com' });
    expect(missing.status).toBe(400);
    expect((await user.call('POST', '/auth/login', { email: 'nope', password: 'x' })).status).toBe(400);
  });

  it('re-hashes a password with stronger parameters at the next login, on another instance', async () => {
    const { account, id } = await registerAndLogin('rehash');
    const pool = env.postgres.pool();
    const storedHash = async () =>
      (await pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id]))
        .rows[0]!.password_hash;
    expect(await storedHash()).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);

    const stronger = await startUserService(infrastructure(), { PASSWORD_SCRYPT_P: '2' });
    try {
      const credentials = { email: account.email, password: account.password };
      expect((await stronger.call('POST', '/auth/login', credentials)).status).toBe(200);
      expect(await storedHash()).toMatch(/^\$scrypt\$ln=15,r=8,p=2\$/);
      expect((await stronger.call('POST', '/auth/login', credentials)).status).toBe(200);
      // The weaker-configured instance still verifies it: parameters come from the stored hash.
      expect((await user.call('POST', '/auth/login', credentials)).status).toBe(200);
    } finally {
      await stronger.close();
    }
  });

  it('answers 401 for a wrong password and for an unknown account, alike', async () => {
    const { account } = await registerAndLogin('wrong');
    const wrong = await user.call('POST', '/auth/login', {
      email: account.email,
      password: 'not the password',
    });
    const unknown = await user.call('POST', '/auth/login', {
      email: `x${account.email}`,
      password: 'whatever-else',
    });
    expect(wrong.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Email or password is wrong' } });
    expect(unknown.body).toEqual(wrong.body);
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
  });
});
