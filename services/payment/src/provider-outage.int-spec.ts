import { isErrorBody, uuidv7 } from '@shop/contracts';
import { migrationsOf } from '@shop/persistence';
import { createRedis } from '@shop/redis';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import { ProviderBehaviourStore } from './provider/provider-behaviour';
import { commands, PaymentBus } from './test-support/payment-bus';
import {
  adminHeaders,
  call,
  customerHeaders,
  startPayment,
  type RunningPayment,
} from './test-support/start-payment';

const BREAKER_RESET_MS = 8_000;

/**
 * The provider's admin controls and its circuit breaker: failure rate 1 opens
 * the breaker (metric and state), authorizations are declined
 * PROVIDER_UNAVAILABLE without reaching the provider, and after the reset
 * timeout a healthy provider closes it again.
 */
describe('payment provider outage', () => {
  let env: TestEnvironment;
  let payment: RunningPayment;
  let bus: PaymentBus;
  const admin = adminHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('payment-outage', {
      postgres: migrationsOf('payment'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    payment = await startPayment({
      ...serviceInfrastructure(env),
      commandsGroup: env.kafka.groupId('payment'),
      env: {
        PROVIDER_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
        PROVIDER_FAILURE_RATE: '0',
        PROVIDER_LATENCY_MS: '0',
      },
    });
    bus = await PaymentBus.start(env.kafka.client('saga-stand-in'), env.kafka.groupId('replies'));
  });
  afterAll(async () => {
    await bus?.stop();
    await payment?.app.close();
    await env?.dispose();
  });

  const providerSettings = (body?: unknown, headers = admin) =>
    call(payment.url, body === undefined ? 'GET' : 'PUT', '/payments/admin/provider', { body, headers });
  const breakerMetric = async (name: string): Promise<number | undefined> => {
    const response = await fetch(`${payment.url}/metrics`);
    const text = await response.text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && l.includes('breaker="payment-provider"'));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  describe('admin endpoints', () => {
    it('need an admin: 401 without identity, 403 for a customer, in the shared error body', async () => {
      const anonymous = await call(payment.url, 'GET', '/payments/admin/provider');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      const customer = await providerSettings({ failureRate: 1 }, customerHeaders());
      expect(customer.status).toBe(403);
      expect(customer.body.error.code).toBe('FORBIDDEN');
      const ledger = await call(payment.url, 'GET', `/payments/orders/${uuidv7()}`, {
        headers: customerHeaders(),
      });
      expect(ledger.status).toBe(403);
    });

    it.each([
      [{ failureRate: 1.5 }, 'failureRate'],
      [{ failureRate: -1 }, 'failureRate'],
      [{ failureRate: 'often' }, 'failureRate'],
      [{ latencyMs: -5 }, 'latencyMs'],
      [{ latencyMs: 2.5 }, 'latencyMs'],
      [{ latencyMs: 600_000 }, 'latencyMs'],
    ])('refuses %j with 400 VALIDATION_FAILED naming %s', async (body, path) => {
      const answer = await providerSettings(body);
      expect(answer.status).toBe(400);
      expect(isErrorBody(answer.body)).toBe(true);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    });

    it('refuses an empty change, unknown fields and malformed JSON', async () => {
      expect((await providerSettings({})).body.error.code).toBe('VALIDATION_FAILED');
      expect((await providerSettings({ failureRate: 0, chaos: true })).status).toBe(400);
      const malformed = await call(payment.url, 'PUT', '/payments/admin/provider', {
        rawBody: '{"failureRate":',
        headers: admin,
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('BAD_REQUEST');
      // Nothing of the refused changes was stored.
      expect((await providerSettings()).body).toMatchObject({
        failureRate: 0,
        latencyMs: 0,
        source: 'defaults',
      });
    });

    it('GET /payments/orders/:orderId: 400 naming orderId for a malformed id, 404 for an unknown order', async () => {
      const malformed = await call(payment.url, 'GET', '/payments/orders/not-a-uuid', { headers: admin });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'orderId', message: expect.any(String) }] },
      });
      const unknown = await call(payment.url, 'GET', `/payments/orders/${uuidv7()}`, { headers: admin });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
    });

    it('stores the behaviour in Redis, where every instance reads it; falls back to the env values without Redis', async () => {
      const changed = await providerSettings({ latencyMs: 5 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        failureRate: 0,
        latencyMs: 5,
        source: 'redis',
        breaker: { state: 'closed' },
      });
      // A second instance builds its store on the same Redis prefix.
      const otherInstance = new ProviderBehaviourStore(env.redis.client({ keyPrefix: env.redis.keyPrefix }), {
        failureRate: 0.9,
        latencyMs: 900,
      });
      await waitFor(async () => (await otherInstance.current()).source === 'redis');
      expect(await otherInstance.current()).toEqual({ failureRate: 0.9, latencyMs: 5, source: 'redis' });
      expect((await providerSettings({ latencyMs: 0 })).body.latencyMs).toBe(0);

      // Redis unreachable: the env defaults, at once.
      const unreachable = createRedis('redis://127.0.0.1:1', {
        lazyConnect: true,
        retryStrategy: () => null,
      });
      const isolated = new ProviderBehaviourStore(unreachable, { failureRate: 0.3, latencyMs: 7 });
      expect(await isolated.current()).toEqual({ failureRate: 0.3, latencyMs: 7, source: 'defaults' });
      unreachable.disconnect();
    });
  });

  it('failure rate 1 opens the breaker; authorize is declined PROVIDER_UNAVAILABLE; a healthy provider closes it after the reset timeout', async () => {
    expect(await breakerMetric('breaker_state')).toBe(0);
    expect((await providerSettings({ failureRate: 1 })).body.failureRate).toBe(1);

    // Volume threshold 10: the first ten calls fail at the provider, then the breaker is open.
    const orders = Array.from({ length: 12 }, () => uuidv7());
    for (const orderId of orders) await bus.send(commands.authorize(orderId));
    for (const orderId of orders) {
      const [reply] = await bus.waitForReplies(orderId, 1);
      expect(reply).toMatchObject({
        type: 'PaymentDeclined',
        payload: { orderId, reason: 'PROVIDER_UNAVAILABLE' },
      });
    }
    expect(await breakerMetric('breaker_state')).toBe(2);
    expect((await providerSettings()).body.breaker).toMatchObject({
      name: 'payment-provider',
      state: 'open',
    });
    expect(await breakerMetric('breaker_failures_total')).toBe(10);
    expect(await breakerMetric('breaker_rejections_total')).toBe(2);
    const ledger = await call(payment.url, 'GET', `/payments/orders/${orders[11]}`, { headers: admin });
    expect(ledger.body).toMatchObject({
      status: 'DECLINED',
      declineReason: 'PROVIDER_UNAVAILABLE',
      entries: [],
    });

    // The provider is healthy again, but the open breaker does not ask it yet.
    await providerSettings({ failureRate: 0 });
    const whileOpen = uuidv7();
    expect(await bus.request(commands.authorize(whileOpen))).toMatchObject({
      type: 'PaymentDeclined',
      payload: { reason: 'PROVIDER_UNAVAILABLE' },
    });
    expect(await breakerMetric('breaker_rejections_total')).toBe(3);

    // After the reset timeout one probe goes through, succeeds, and the breaker closes.
    await waitFor(async () => (await breakerMetric('breaker_state')) === 1, {
      timeoutMs: BREAKER_RESET_MS * 3,
    });
    const recovered = uuidv7();
    expect(await bus.request(commands.authorize(recovered))).toMatchObject({
      type: 'PaymentAuthorized',
      payload: { orderId: recovered },
    });
    expect(await breakerMetric('breaker_state')).toBe(0);
    expect((await providerSettings()).body.breaker.state).toBe('closed');
  });
});
