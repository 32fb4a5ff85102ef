import { startTestStack, type TestStack } from '../support/test-stack';
import { ShopDriver, type PlacedOrder } from '../support/shop-driver';
import { waitFor } from '@shop/testing';

/**
 * The placement saga across real processes: catalog, two instances each of
 * inventory, payment and order, and notification, on their own databases,
 * Redis prefix and Kafka dev broker. Requests go straight to the services
 * (the gateway has its own suite).
 */
describe('order placement saga (services as processes)', () => {
  let shop: TestStack;
  let driver: ShopDriver;
  const placed: PlacedOrder[] = [];

  beforeAll(async () => {
    shop = await startTestStack('saga', {
      services: ['catalog', 'inventory', 'payment', 'order', 'notification'],
    });
    driver = new ShopDriver(shop.stack);
    await driver.warmUp();
  });
  afterAll(async () => {
    await shop?.dispose();
  });

  const place = async (...args: Parameters<ShopDriver['placeOrder']>) => {
    const order = await driver.placeOrder(...args);
    placed.push(order);
    return order;
  };

  it('confirms an order: stock sold, payment captured once, a notification stored, the timeline in the view', async () => {
    const productId = await driver.createStockedProduct(5, 1_250);
    const order = await place([{ productId, quantity: 2 }]);
    await driver.settled(order);
    // Confirmed first, captured right after (the capture follows the confirmation).
    const view = await driver.orderWhen(order, (v) => v.paymentStatus !== 'AUTHORIZED');
    expect(view).toMatchObject({
      status: 'CONFIRMED',
      totalCents: 2_500,
      currency: 'EUR',
      paymentStatus: 'CAPTURED',
    });
    expect(view.timeline.map((entry: { type: string }) => entry.type)).toEqual([
      'PLACED',
      'CONFIRMED',
      'PAYMENT_CAPTURED',
    ]);
    expect(view.timeline.every((entry: { at: string }) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);
    await waitFor(async () => (await driver.stock(productId)).sold === 2);
    expect(await driver.stock(productId)).toMatchObject({ available: 3, reserved: 0, sold: 2, restocked: 5 });
    const payment = await driver.payment(order.orderId);
    expect(payment.entries.filter((entry: { kind: string }) => entry.kind === 'CAPTURE')).toHaveLength(1);
    await waitFor(async () => (await driver.notifications(order.customerId)).length === 1);
    expect((await driver.notifications(order.customerId))[0]).toMatchObject({ orderId: order.orderId });
  });

  it('cancels an order it cannot stock, without asking for payment', async () => {
    const productId = await driver.createStockedProduct(1);
    const order = await place([{ productId, quantity: 2 }]);
    const view = await driver.settled(order);
    expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
    expect(await driver.payment(order.orderId)).toBeUndefined();
    expect(await driver.stock(productId)).toMatchObject({ available: 1, reserved: 0, sold: 0 });
  });

  it('releases the stock of a declined payment and cancels', async () => {
    const productId = await driver.createStockedProduct(3);
    const order = await place([{ productId, quantity: 3 }], 'tok_insufficient_funds');
    const view = await driver.settled(order);
    expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
    await waitFor(async () => (await driver.stock(productId)).available === 3);
    expect(await driver.stock(productId)).toMatchObject({ available: 3, reserved: 0, sold: 0 });
  });

  it('sells exactly the 10 units of a product to 50 concurrent orders', async () => {
    const productId = await driver.createStockedProduct(10);
    const orders = await Promise.all(Array.from({ length: 50 }, () => place([{ productId, quantity: 1 }])));
    const views = await Promise.all(orders.map((order) => driver.settled(order, 120_000)));
    const count = (status: string) => views.filter((view) => view.status === status).length;
    expect([count('CONFIRMED'), count('CANCELLED')]).toEqual([10, 40]);
    expect(
      views.filter((v) => v.status === 'CANCELLED').every((v) => v.cancellationReason === 'OUT_OF_STOCK'),
    ).toBe(true);
    await waitFor(async () => (await driver.stock(productId)).sold === 10);
    expect(await driver.stock(productId)).toMatchObject({
      available: 0,
      reserved: 0,
      sold: 10,
      restocked: 10,
    });
  });

  it('cancels and compensates while the payment provider is down, leaving nothing pending', async () => {
    const productId = await driver.createStockedProduct(20);
    await driver.setProviderFaults({ failureRate: 1, latencyMs: 0 });
    try {
      const orders = await Promise.all(Array.from({ length: 15 }, () => place([{ productId, quantity: 1 }])));
      const views = await Promise.all(orders.map((order) => driver.settled(order, 120_000)));
      expect(views.every((view) => view.status === 'CANCELLED')).toBe(true);
      for (const view of views)
        expect(['PAYMENT_DECLINED', 'PAYMENT_TIMED_OUT']).toContain(view.cancellationReason);
      await waitFor(async () => (await driver.stock(productId)).available === 20, { timeoutMs: 60_000 });
      for (const order of orders) {
        const payment = await driver.payment(order.orderId);
        expect(payment?.entries?.some((entry: { kind: string }) => entry.kind === 'CAPTURE') ?? false).toBe(
          false,
        );
      }
    } finally {
      await driver.setProviderFaults({ failureRate: 0, latencyMs: 0 });
    }
  });

  it('rebuilds the order view from the event store into exactly the live view', async () => {
    const before = await Promise.all(placed.map((order) => driver.order(order)));
    const report = await driver.rebuildOrderView();
    // A real rebuild: every order replayed from the event store, the cache dropped (so the reads below hit the new rows).
    expect(report.orders).toBeGreaterThanOrEqual(placed.length);
    expect(report.cacheCleared).toBe(true);
    const after = await Promise.all(placed.map((order) => driver.order(order)));
    expect(after).toEqual(before);
  });
});
