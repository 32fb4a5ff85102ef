/**
 * One integration suite of the order service: a fresh database (migrated
 * with the service's migrations), a Redis namespace, a dedicated Kafka dev
 * broker with the platform's topics, N instances of the service side by side,
 * and the test's inventory/payment stand-in.
 */
import { ProductCreatedV1, uuidv7, type ProductSnapshot } from '@shop/contracts';
import { migrationsOf } from '@shop/persistence';
import type { SagaState } from '../domain';
import { OrderDatabase } from '../infrastructure/order-database';
import {
  createPlatformTopics,
  OK_TOKEN,
  SagaParticipants,
  type ParticipantOptions,
  type SuiteEnvironment,
} from './saga-participants';
import {
  call,
  customerHeaders,
  startOrder,
  type Answer,
  type LooseJson,
  type RunningOrder,
} from './start-order';

/** What the suites pass to `createTestEnvironment` (this file may not import the harness itself). */
export const ORDER_TEST_ENVIRONMENT = {
  postgres: migrationsOf('order'),
  redis: true,
  kafka: { dedicatedBroker: true },
};

/** `waitFor` of @shop/testing, handed in by the suite. */
export type WaitFor = (
  check: () => boolean | Promise<boolean>,
  options?: { timeoutMs?: number; describe?: () => string },
) => Promise<void>;

export interface OrderSuiteOptions {
  waitFor: WaitFor;
  instances?: number;
  env?: Record<string, string>;
  participants?: ParticipantOptions;
}

export interface OrderSuite {
  env: SuiteEnvironment;
  instances: RunningOrder[];
  participants: SagaParticipants;
  database: OrderDatabase;
  startInstance(): Promise<RunningOrder>;
  seedProducts(products: Partial<ProductSnapshot>[]): Promise<ProductSnapshot[]>;
  placeOrder(
    body: unknown,
    options?: { key?: string; customer?: string; instance?: RunningOrder },
  ): Promise<Answer<LooseJson>>;
  sagaOf(orderId: string): Promise<SagaState | null>;
  orderEventTypes(orderId: string): Promise<string[]>;
  outboxTypes(orderId: string, topic: string): Promise<string[]>;
  unpublished(): Promise<number>;
  waitForSaga(orderId: string, statuses: string[], timeoutMs?: number): Promise<SagaState>;
  dispose(): Promise<void>;
}

/** The suite on `env` (created by the spec with ORDER_TEST_ENVIRONMENT); disposing the suite disposes env. */
export async function startOrderSuite(
  env: SuiteEnvironment,
  options: OrderSuiteOptions,
): Promise<OrderSuite> {
  const { waitFor } = options;
  const instances: RunningOrder[] = [];
  let participants: SagaParticipants | undefined;
  const database = new OrderDatabase(env.postgres.url);
  const sql = database.sql;

  const suite: OrderSuite = {
    env,
    instances,
    get participants() {
      return participants!;
    },
    database,
    async startInstance() {
      const instance = await startOrder({
        databaseUrl: env.postgres.url,
        redisUrl: env.redis.url,
        redisKeyPrefix: env.redis.keyPrefix,
        kafkaBrokers: env.kafka.brokers,
        env: options.env,
      });
      instances.push(instance);
      return instance;
    },
    async seedProducts(products) {
      const snapshots = products.map((p, i): ProductSnapshot => ({
        productId: uuidv7(),
        sku: `SKU-${i}-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
        name: `Product ${i}`,
        priceCents: 1000,
        currency: 'EUR',
        status: 'active',
        version: 1,
        ...p,
      }));
      await participants!.publish(
        snapshots.map((s) =>
          ProductCreatedV1.create({
            source: 'catalog',
            aggregateId: s.productId,
            aggregateVersion: s.version,
            payload: { ...s, description: '' },
          }),
        ),
      );
      await waitFor(
        async () =>
          (
            await sql.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM product_prices WHERE product_id = ANY($1::uuid[])',
              [snapshots.map((s) => s.productId)],
            )
          )[0]!.n === snapshots.length,
      );
      return snapshots;
    },
    placeOrder(body, { key = uuidv7(), customer = 'customer-1', instance = instances[0]! } = {}) {
      return call<LooseJson>(instance.url, 'POST', '/orders', {
        body,
        headers: { ...customerHeaders(customer), 'idempotency-key': key },
      });
    },
    async sagaOf(orderId) {
      const [row] = await sql.query<{ state: SagaState }>(
        'SELECT state FROM placement_sagas WHERE order_id = $1::uuid',
        [orderId],
      );
      return row?.state ?? null;
    },
    async orderEventTypes(orderId) {
      const rows = await sql.query<{ type: string }>(
        'SELECT type FROM events WHERE stream_id = $1 ORDER BY version',
        [`order-${orderId}`],
      );
      return rows.map((r) => r.type);
    },
    async outboxTypes(orderId, topic) {
      const rows = await sql.query<{ type: string }>(
        'SELECT type FROM outbox WHERE key = $1 AND topic = $2 ORDER BY sequence',
        [orderId, topic],
      );
      return rows.map((r) => r.type);
    },
    async unpublished() {
      const [row] = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      );
      return row!.n;
    },
    async waitForSaga(orderId, statuses, timeoutMs = 45_000) {
      let state: SagaState | null = null;
      await waitFor(
        async () => {
          state = await suite.sagaOf(orderId);
          return !!state && statuses.includes(state.status);
        },
        { timeoutMs, describe: () => `saga of ${orderId}: ${JSON.stringify(state)}` },
      );
      return state!;
    },
    async dispose() {
      for (const instance of instances) await instance.app.close().catch(() => undefined);
      await participants?.stop().catch(() => undefined);
      await database.onApplicationShutdown();
      await env.dispose();
    },
  };

  try {
    await createPlatformTopics(env);
    participants = new SagaParticipants(env, options.participants);
    await participants.start();
    for (let i = 0; i < (options.instances ?? 1); i++) await suite.startInstance();
  } catch (err) {
    await suite.dispose();
    throw err;
  }
  return suite;
}

/** A valid POST /orders body for these products (1 each unless given). */
export function orderBody(
  items: { productId: string; quantity?: number }[],
  token: string = OK_TOKEN,
): { items: { productId: string; quantity: number }[]; paymentMethod: { token: string } } {
  return {
    items: items.map((i) => ({ productId: i.productId, quantity: i.quantity ?? 1 })),
    paymentMethod: { token },
  };
}
