/**
 * What the gateway costs: GET /api/products/:id through the gateway vs GET
 * /products/:id straight at the catalog instance, same run, same seeded
 * products, same concurrency; and the gateway's resident memory while under
 * that load (sampled from /proc). Rate limits are off for the run:
 *   npm run bench -- gateway-overhead
 */
import { readFileSync } from 'node:fs';
import { measureThroughput, printFigures, quantile } from '@shop/testing';
import { ShopDriver } from '../src/support/shop-driver';
import { startTestStack } from '../src/support/test-stack';

const PRODUCTS = 50;
const REQUESTS = 4_000;
const CONCURRENCY = 16;

function residentMemoryMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
}

async function measure(urlOf: (i: number) => string) {
  const latenciesMs: number[] = [];
  const get = async (i: number) => {
    const started = performance.now();
    const response = await fetch(urlOf(i));
    if (response.status !== 200) throw new Error(`GET ${urlOf(i)} answered ${response.status}`);
    await response.arrayBuffer();
    latenciesMs.push(performance.now() - started);
  };
  await measureThroughput(500, CONCURRENCY, get); // warm-up: JIT, keep-alive pools, caches
  latenciesMs.length = 0;
  const throughput = await measureThroughput(REQUESTS, CONCURRENCY, get);
  return {
    perSecond: throughput.perSecond,
    p50: quantile(latenciesMs, 0.5),
    p99: quantile(latenciesMs, 0.99),
  };
}

async function main(): Promise<void> {
  const shop = await startTestStack('gateway-bench', {
    services: ['user', 'catalog', 'inventory', 'gateway'],
    instances: { inventory: 1 },
    logLevel: 'warn',
    env: { gateway: { RATE_LIMIT_PER_USER: '0', RATE_LIMIT_PER_ADDRESS: '0' } },
  });
  try {
    const driver = new ShopDriver(shop.stack);
    const ids = await Promise.all(Array.from({ length: PRODUCTS }, () => driver.createStockedProduct(0)));
    const catalog = shop.stack.urlOf('catalog');
    const gateway = shop.stack.instancesOf('gateway')[0]!;
    const direct = await measure((i) => `${catalog}/products/${ids[i % ids.length]}`);
    const memoryBefore = residentMemoryMiB(gateway.pid!);
    let peakMemory = memoryBefore;
    const sampler = setInterval(
      () => (peakMemory = Math.max(peakMemory, residentMemoryMiB(gateway.pid!))),
      100,
    );
    const proxied = await measure((i) => `${gateway.url}/api/products/${ids[i % ids.length]}`);
    clearInterval(sampler);
    printFigures(
      `Gateway overhead: GET product by id, ${REQUESTS} requests, ${CONCURRENCY} in flight, one catalog instance`,
      [
        {
          name: 'straight to the catalog',
          value: direct.perSecond,
          unit: 'req/s',
          note: `p50 ${direct.p50.toFixed(1)} ms, p99 ${direct.p99.toFixed(1)} ms`,
        },
        {
          name: 'through the gateway',
          value: proxied.perSecond,
          unit: 'req/s',
          note: `${(proxied.perSecond / direct.perSecond).toFixed(2)}x direct; p50 ${proxied.p50.toFixed(1)} ms, p99 ${proxied.p99.toFixed(1)} ms (${(proxied.p99 / direct.p99).toFixed(2)}x direct p99)`,
        },
        { name: 'gateway resident memory before load', value: memoryBefore, unit: 'MiB' },
        { name: 'gateway resident memory, peak under load', value: peakMemory, unit: 'MiB' },
      ],
    );
  } finally {
    await shop.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
