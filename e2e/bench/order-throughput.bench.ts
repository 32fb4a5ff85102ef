/**
 * Orders placed to terminal: N orders with C in flight against the saga's
 * services as processes (two instances each of order, inventory and
 * payment), each order timed from POST /orders to the view showing
 * CONFIRMED. Prints orders/s and the p50/p99 of both the accept (202) and
 * placed-to-confirmed latency, with the outbox relays' default poll
 * interval and with a short one (same run, two shops one after the other):
 *   npm run bench -- order-throughput
 */
import { measureThroughput, printFigures, quantile, sleep } from '@shop/testing';
import { ShopDriver } from '../src/support/shop-driver';
import { startTestStack } from '../src/support/test-stack';

const ORDERS = 300;
const CONCURRENCY = 20;
const POLL_MS = 20;

interface SagaFigures {
  perSecond: number;
  settleMs: number[];
  acceptMs: number[];
}

/** One shop with `env` for the saga's services, warmed up, then ORDERS orders placed and followed to CONFIRMED. */
async function run(label: string, env: Record<string, string>): Promise<SagaFigures> {
  const shop = await startTestStack(label, {
    services: ['catalog', 'inventory', 'payment', 'order', 'notification'],
    logLevel: 'warn',
    env: { order: env, inventory: env, payment: env },
  });
  try {
    const driver = new ShopDriver(shop.stack);
    await driver.warmUp();
    const products = await Promise.all(Array.from({ length: 10 }, () => driver.createStockedProduct(10_000)));
    const acceptMs: number[] = [];
    const settleMs: number[] = [];
    const placeAndSettle = async (i: number) => {
      const started = performance.now();
      const order = await driver.placeOrder([{ productId: products[i % products.length]!, quantity: 1 }]);
      acceptMs.push(performance.now() - started);
      for (;;) {
        const view = await driver.order(order);
        if (view?.status === 'CONFIRMED') break;
        if (view?.status === 'CANCELLED')
          throw new Error(`order ${order.orderId} cancelled: ${view.cancellationReason}`);
        await sleep(POLL_MS);
      }
      settleMs.push(performance.now() - started);
    };
    await measureThroughput(40, CONCURRENCY, placeAndSettle); // warm-up (JIT, pools, fetch loops), not counted
    acceptMs.length = 0;
    settleMs.length = 0;
    const { perSecond } = await measureThroughput(ORDERS, CONCURRENCY, placeAndSettle);
    return { perSecond, settleMs, acceptMs };
  } finally {
    await shop.dispose();
  }
}

async function main(): Promise<void> {
  const standard = await run('order-bench', {});
  const eager = await run('order-bench-eager', { OUTBOX_POLL_INTERVAL_MS: '20' });
  const figures = (name: string, f: SagaFigures, note = '') => [
    { name: `${name}: orders placed to confirmed`, value: f.perSecond, unit: 'orders/s', note },
    { name: `${name}: placed -> CONFIRMED p50`, value: quantile(f.settleMs, 0.5), unit: 'ms' },
    { name: `${name}: placed -> CONFIRMED p99`, value: quantile(f.settleMs, 0.99), unit: 'ms' },
    { name: `${name}: POST /orders (202) p50`, value: quantile(f.acceptMs, 0.5), unit: 'ms' },
    { name: `${name}: POST /orders (202) p99`, value: quantile(f.acceptMs, 0.99), unit: 'ms' },
  ];
  printFigures(
    `Order saga: ${ORDERS} orders placed to CONFIRMED, ${CONCURRENCY} in flight, 2 instances each of order/inventory/payment (view polled every ${POLL_MS} ms)`,
    [
      ...figures('outbox poll 250 ms (default)', standard, 'baseline'),
      ...figures(
        'outbox poll 20 ms',
        eager,
        `${(eager.perSecond / standard.perSecond).toFixed(2)}x; p50 ${(quantile(eager.settleMs, 0.5) / quantile(standard.settleMs, 0.5)).toFixed(2)}x the baseline's`,
      ),
    ],
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
