import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, sleep, type TestEnvironment } from '@shop/testing';
import {
  newAccount,
  startUserService,
  type UserServiceUnderTest,
} from '../__fixtures__/user-service-harness';

const WINDOW_MS = 2_000;

/** Brute-force protection against the real Redis, with a 2 s window and small limits. */
describe('user service: login throttling', () => {
  let env: TestEnvironment;
  let user: UserServiceUnderTest;
  let addresses = 0;

  beforeAll(async () => {
    env = await createTestEnvironment('user-throttle', { postgres: migrationsOf('user'), redis: true });
    user = await startUserService(
      {
        databaseUrl: env.postgres.url,
        redisUrl: env.redis.url,
        redisKeyPrefix: env.redis.keyPrefix,
        kafkaBrokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      },
      {
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '6',
        LOGIN_FAILURE_WINDOW_MS: String(WINDOW_MS),
        LOGIN_TRUST_FORWARDED_FOR: 'true',
      },
    );
  });
  afterAll(async () => {
    await user?.close();
    await env?.dispose();
  });

  /** Each test logs in from its own client address (as the gateway reports it). */
  function fromNewAddress() {
    const address = `203.0.113.${++addresses}`;
    return (email: string, password: string) =>
      user.call('POST', '/auth/login', { email, password }, { 'x-forwarded-for': `10.9.9.9, ${address}` });
  }

  async function registered(label: string) {
    const account = newAccount(label);
    expect((await user.call('POST', '/users/register', account)).status).toBe(201);
    return account;
  }

  it('refuses the right password with 429 and Retry-After after too many failures, and lets it in after the window', async () => {
    const login = fromNewAddress();
    const account = await registered('brute');
    for (let i = 0; i < 3; i++) expect((await login(account.email, `wrong guess ${i}`)).status).toBe(401);

    const blocked = await login(account.email, account.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: 'Too many failed logins; try again later',
        details: { retryAfterSeconds: expect.any(Number) },
      },
    });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);

    await sleep(retryAfter * 1000 + 100);
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('counts per account across client addresses', async () => {
    const account = await registered('spread');
    for (let i = 0; i < 3; i++)
      expect((await fromNewAddress()(account.email, 'wrong guess')).status).toBe(401);
    expect((await fromNewAddress()(account.email, account.password)).status).toBe(429);
  });

  it('resets the account count after a successful login', async () => {
    const login = fromNewAddress();
    const account = await registered('reset');
    for (let i = 0; i < 2; i++) expect((await login(account.email, 'wrong guess')).status).toBe(401);
    expect((await login(account.email, account.password)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login(account.email, 'wrong guess')).status).toBe(401);
    expect((await login(account.email, account.password)).status).toBe(200); // 4 failures in the window, but not in a row
  });

  it('limits one client address guessing across many accounts, not other addresses', async () => {
    const attacker = fromNewAddress();
    for (let i = 0; i < 6; i++)
      expect((await attacker(newAccount(`victim${i}`).email, 'guess')).status).toBe(401);
    const account = await registered('bystander');
    const refused = await attacker(account.email, account.password);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await fromNewAddress()(account.email, account.password)).status).toBe(200);
  });
});
