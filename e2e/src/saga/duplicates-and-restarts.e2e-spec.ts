import { sleep, waitFor } from '@shop/testing';
import { startTestStack, type TestStack } from '../support/test-stack';
import { ShopDriver, type PlacedOrder } from '../support/shop-driver';

/**
 * The same workload as a calm run would see, but every message published
 * twice (the outbox relays' chaos switch) and, in the middle of it, one
 * instance each of order, inventory and payment killed with SIGKILL and
 * started again. The outcome must be the calm run's: each order's final
 * state follows from its token and the stock alone, one reservation and at
 * most one capture per order, stock arithmetic exact.
 */
describe('order saga under duplicate delivery and crashed instances', () => {
  let shop: TestStack;
  let driver: ShopDriver;

  beforeAll(async () => {
    shop = await startTestStack('saga-chaos', {
      services: ['catalog', 'inventory', 'payment', 'order', 'notification'],
      env: {
        all: { CHAOS_DUPLICATE_DELIVERY: 'true' },
        // Timeouts well above a restart plus a consumer-group rebalance, so a crash delays replies but never decides an order.
        order: { SAGA_RESERVE_STOCK_TIMEOUT_MS: '60000', SAGA_AUTHORIZE_PAYMENT_TIMEOUT_MS: '60000' },
      },
    });
    driver = new ShopDriver(shop.stack);
    await driver.warmUp();
  });
  afterAll(async () => {
    await shop?.dispose();
  });

  it('ends every order as a calm run would, with no double reservation or capture', async () => {
    const stock = 15; // room for every order, declined ones included (they hold stock until released)
    const products = await Promise.all([
      driver.createStockedProduct(stock),
      driver.createStockedProduct(stock),
    ]);
    // 30 orders, 15 per product, every 5th declined: stock never runs out, so every tok_ok order must be confirmed.
    const plan = Array.from({ length: 30 }, (_, i) => ({
      productId: products[i % 2]!,
      quantity: 1,
      token: i % 5 === 4 ? 'tok_declined' : 'tok_ok',
    }));
    const placed: { order: PlacedOrder; token: string; productId: string; quantity: number }[] = [];
    const placing = (async () => {
      for (const [i, entry] of plan.entries()) {
        placed.push({
          ...entry,
          order: await driver.placeOrder(
            [{ productId: entry.productId, quantity: entry.quantity }],
            entry.token,
          ),
        });
        if (i % 3 === 2) await sleep(150);
      }
    })();
    await waitFor(() => placed.length >= 10, { timeoutMs: 60_000 });
    const { stack } = shop;
    await Promise.all(['order-1', 'inventory-2', 'payment-1'].map((name) => stack.instance(name).kill()));
    await sleep(1_000);
    await Promise.all(['order-1', 'inventory-2', 'payment-1'].map((name) => stack.instance(name).start()));
    await placing;

    const views = await Promise.all(placed.map((p) => driver.settled(p.order, 180_000)));
    expect(views.map((view) => view.status)).toEqual(
      placed.map((p) => (p.token === 'tok_ok' ? 'CONFIRMED' : 'CANCELLED')),
    );

    for (const productId of products) {
      const sold = placed
        .filter((p, i) => p.productId === productId && views[i].status === 'CONFIRMED')
        .reduce((sum, p) => sum + p.quantity, 0);
      await waitFor(
        async () =>
          (await driver.stock(productId)).sold === sold && (await driver.stock(productId)).reserved === 0,
        {
          timeoutMs: 60_000,
          describe: () => `stock of ${productId} never settled at ${sold} sold`,
        },
      );
      const level = await driver.stock(productId);
      expect(level).toMatchObject({ available: stock - sold, reserved: 0, sold, restocked: stock });
    }

    for (const [i, p] of placed.entries()) {
      const payment = await driver.payment(p.order.orderId);
      const captures = payment?.entries?.filter((e: { kind: string }) => e.kind === 'CAPTURE').length ?? 0;
      const authorizations =
        payment?.entries?.filter((e: { kind: string }) => e.kind === 'AUTHORIZE').length ?? 0;
      expect({ order: i, captures, authorizations: Math.min(authorizations, 1) }).toEqual({
        order: i,
        captures: views[i].status === 'CONFIRMED' ? 1 : 0,
        authorizations: views[i].status === 'CONFIRMED' ? 1 : 0,
      });
      expect(authorizations).toBeLessThanOrEqual(1);
    }
  });
});
