import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, type TestEnvironment } from '@shop/testing';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import {
  newAccount,
  startUserService,
  type UserServiceUnderTest,
} from '../__fixtures__/user-service-harness';
import type { TokenPair } from '../sessions/session-issuer';

/** Signing key rotation without logging anyone out, and who may trigger it. */
describe('user service: signing key rotation', () => {
  let env: TestEnvironment;
  let user: UserServiceUnderTest;
  const admin = newAccount('rotation-admin');

  beforeAll(async () => {
    env = await createTestEnvironment('user-keys', { postgres: migrationsOf('user'), redis: true });
    user = await startUserService(
      {
        databaseUrl: env.postgres.url,
        redisUrl: env.redis.url,
        redisKeyPrefix: env.redis.keyPrefix,
        kafkaBrokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      },
      { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
    );
  });
  afterAll(async () => {
    await user?.close();
    await env?.dispose();
  });

  const verifyWith = (jwks: Parameters<typeof jwtVerify>[1], token: string) =>
    jwtVerify(token, jwks, { issuer: user.config.JWT_ISSUER, audience: user.config.JWT_AUDIENCE });

  async function login(email: string, password: string): Promise<TokenPair> {
    const answer = await user.call<TokenPair>('POST', '/auth/login', { email, password });
    expect(answer.status).toBe(200);
    return answer.body;
  }

  /** Identity headers for the holder of an access token, as the gateway derives them. */
  async function gatewayHeaders(token: string) {
    const { payload } = await verifyWith(
      createRemoteJWKSet(new URL(`${user.url}/.well-known/jwks.json`)),
      token,
    );
    return user.as(payload.sub!, payload.roles as string[]);
  }

  it('answers 403 to a customer and 401 without identity', async () => {
    const customer = newAccount('rotation-customer');
    expect((await user.call('POST', '/users/register', customer)).status).toBe(201);
    const tokens = await login(customer.email, customer.password);
    const forbidden = await user.call(
      'POST',
      '/admin/keys/rotate',
      undefined,
      await gatewayHeaders(tokens.accessToken),
    );
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await user.call('POST', '/admin/keys/rotate')).status).toBe(401);
  });

  it('keeps tokens signed before a rotation valid, and signs new tokens with the new key', async () => {
    const adminTokens = await login(admin.email, admin.password);
    const before = adminTokens.accessToken;
    const oldKid = decodeProtectedHeader(before).kid;

    const rotated = await user.call('POST', '/admin/keys/rotate', undefined, await gatewayHeaders(before));
    expect(rotated).toMatchObject({ status: 200, body: { kid: expect.any(String), retiredKid: oldKid } });
    const newKid = rotated.body.kid as string;
    expect(newKid).not.toBe(oldKid);

    const jwks = (await user.call<JSONWebKeySet>('GET', '/.well-known/jwks.json')).body;
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    // A verifier that fetches the JWKS now (a fresh gateway) still accepts the old token ...
    expect((await verifyWith(createLocalJWKSet(jwks), before)).payload.sub).toBeDefined();
    // ... and the refresh token of that login still works, now with the new key.
    const refreshed = await user.call<TokenPair>('POST', '/auth/refresh', {
      refreshToken: adminTokens.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeProtectedHeader(refreshed.body.accessToken).kid).toBe(newKid);

    const after = await login(admin.email, admin.password);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);
    await expect(verifyWith(createLocalJWKSet(jwks), after.accessToken)).resolves.toBeDefined();
    // Without the old key, the old token would not verify: the JWKS is what keeps it alive.
    const withoutOld = { keys: jwks.keys.filter((k) => k.kid !== oldKid) };
    await expect(verifyWith(createLocalJWKSet(withoutOld), before)).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('stores private keys encrypted, never in the clear', async () => {
    const { rows } = await env.postgres
      .pool()
      .query<{ kid: string; private_key_encrypted: string; public_jwk: object }>(
        'SELECT kid, private_key_encrypted, public_jwk FROM signing_keys',
      );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const row of rows) {
      expect(row.private_key_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.public_jwk).not.toHaveProperty('d');
    }
  });
});
