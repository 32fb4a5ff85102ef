import { randomUUID } from 'node:crypto';
import { OTLP_SPAN_KIND, startOtlpReceiver, waitFor, type OtlpReceiver } from '@shop/testing';
import { call, type LooseJson } from '../support/http';
import { ShopDriver } from '../support/shop-driver';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * The whole shop as a customer sees it: every service as its own process,
 * the gateway in front, all traces exported to an OTLP receiver this suite
 * runs. Customers only ever talk to the gateway; the suite uses the services
 * directly only to set up stock (as an operator would).
 */
describe('the shop through the gateway', () => {
  let shop: TestStack;
  let receiver: OtlpReceiver;
  let driver: ShopDriver;
  let gateway: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    shop = await startTestStack('shop', {
      env: { all: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' } },
    });
    driver = new ShopDriver(shop.stack);
    await driver.warmUp();
    gateway = shop.stack.urlOf('gateway');
  });
  afterAll(async () => {
    await shop?.dispose();
    await receiver?.close();
  });

  const signUp = async (): Promise<{ email: string; token: string }> => {
    const email = `ann-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'Correct-Horse-42-Battery';
    const registered = await call(gateway, 'POST', '/api/users/register', {
      body: { email, password, name: 'Ann Example' },
    });
    expect(registered.status).toBe(201);
    const login = await call(gateway, 'POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return { email, token: login.body.accessToken as string };
  };

  const placeOrder = (token: string, productId: string, quantity: number, paymentToken = 'tok_ok') =>
    call(gateway, 'POST', '/api/orders', {
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      body: { items: [{ productId, quantity }], paymentMethod: { token: paymentToken } },
    });

  const settled = async (token: string, orderId: string): Promise<LooseJson> => {
    let view: LooseJson;
    await waitFor(
      async () => {
        view = (
          await call(gateway, 'GET', `/api/orders/${orderId}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).body;
        // Settled: cancelled, or confirmed with the capture that follows the confirmation done.
        return (
          view?.status === 'CANCELLED' ||
          (view?.status === 'CONFIRMED' && view.paymentStatus !== 'AUTHORIZED')
        );
      },
      { timeoutMs: 60_000, describe: () => `order ${orderId}: ${JSON.stringify(view)}` },
    );
    return view;
  };

  it('registers, logs in, browses, orders, sees the order confirmed and the notification', async () => {
    const productId = await driver.createStockedProduct(5, 4_200);
    const { token } = await signUp();
    const product = await call(gateway, 'GET', `/api/products/${productId}`);
    expect(product).toMatchObject({ status: 200, body: { id: productId, priceCents: 4_200 } });
    const search = await call(
      gateway,
      'GET',
      `/api/products?search=${encodeURIComponent(product.body.name)}`,
    );
    expect(search.body.items.map((p: { id: string }) => p.id)).toContain(productId);

    const accepted = await waitForReplica(() => placeOrder(token, productId, 2));
    expect(accepted.status).toBe(202);
    // The link to watch it is the public one (what settled() polls), not the order service's own path.
    expect(accepted.body.statusUrl).toBe(`/api/orders/${accepted.body.orderId}`);
    const view = await settled(token, accepted.body.orderId);
    expect(view).toMatchObject({ status: 'CONFIRMED', totalCents: 8_400, paymentStatus: 'CAPTURED' });

    const mine = await call(gateway, 'GET', '/api/orders', { headers: { authorization: `Bearer ${token}` } });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(accepted.body.orderId);
    await waitFor(async () => {
      const notes = await call(gateway, 'GET', '/api/notifications', {
        headers: { authorization: `Bearer ${token}` },
      });
      return notes.body.items?.some((n: { orderId: string }) => n.orderId === accepted.body.orderId);
    });
  });

  it('cancels a declined payment and an order it cannot stock', async () => {
    const productId = await driver.createStockedProduct(1);
    const { token } = await signUp();
    const declined = await waitForReplica(() => placeOrder(token, productId, 1, 'tok_declined'));
    expect(await settled(token, declined.body.orderId)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_DECLINED',
    });
    const tooMany = await placeOrder(token, productId, 2);
    expect(await settled(token, tooMany.body.orderId)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'OUT_OF_STOCK',
    });
  });

  it('refuses what it must: no token, a forged identity header, bad input', async () => {
    const productId = await driver.createStockedProduct(1);
    const anonymous = await call(gateway, 'POST', '/api/orders', {
      headers: { 'idempotency-key': randomUUID(), 'x-user-id': 'someone-else' },
      body: { items: [{ productId, quantity: 1 }], paymentMethod: { token: 'tok_ok' } },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const { token } = await signUp();
    const bad = await call(gateway, 'POST', '/api/orders', {
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      body: { items: [{ productId, quantity: 0 }], paymentMethod: { token: 'visa' } },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
  });

  it('follows one placed order as ONE trace across gateway, order, Kafka, inventory and payment', async () => {
    const productId = await driver.createStockedProduct(2);
    const { token } = await signUp();
    const accepted = await waitForReplica(() => placeOrder(token, productId, 1));
    const orderId = accepted.body.orderId as string;
    await settled(token, orderId);
    // The order's Kafka messages are keyed by its id: every trace that carries one of them.
    const tracesOfOrder = () =>
      new Set(
        receiver.spans
          .filter((span) => span.attributes['messaging.kafka.message.key'] === orderId)
          .map((span) => span.traceId),
      );
    const servicesIn = (traceId: string) =>
      new Set(receiver.spans.filter((span) => span.traceId === traceId).map((span) => span.serviceName));
    const expected = ['gateway', 'order', 'inventory', 'payment'];
    await waitFor(
      () => {
        const traces = [...tracesOfOrder()];
        return traces.length === 1 && expected.every((name) => servicesIn(traces[0]!).has(name));
      },
      {
        timeoutMs: 30_000,
        describe: () =>
          [...tracesOfOrder()].map((id) => `${id}: ${[...servicesIn(id)].join(', ')}`).join('; ') ||
          'no trace',
      },
    );
    const [traceId] = tracesOfOrder();
    const entry = receiver.spans.find(
      (span) =>
        span.traceId === traceId && span.serviceName === 'gateway' && span.kind === OTLP_SPAN_KIND.SERVER,
    );
    expect(entry?.parentSpanId).toBeUndefined(); // the trace starts at the gateway
    expect(entry?.name).toBe('POST /api/orders/**'); // named after the gateway route (what Jaeger lists)
  });

  /** The order service learns new products from catalog events: a just-created product may be unknown for a moment. */
  async function waitForReplica(place: () => Promise<LooseJson>): Promise<LooseJson> {
    let answer: LooseJson;
    await waitFor(
      async () => {
        answer = await place();
        return answer.status !== 422;
      },
      { describe: () => JSON.stringify(answer?.body) },
    );
    return answer;
  }
});
