import { ProductPriceChangedV1, TOPICS, uuidv7 } from '@shop/contracts';
import { createTestEnvironment, waitFor } from '@shop/testing';
import {
  ORDER_TEST_ENVIRONMENT,
  orderBody,
  startOrderSuite,
  type OrderSuite,
} from '../test-support/order-suite';
import { SILENT_TOKEN } from '../test-support/saga-participants';
import { call, customerHeaders } from '../test-support/start-order';

/** POST /orders: validation, pricing from the replica, idempotency. */
describe('POST /orders', () => {
  let suite: OrderSuite;
  let mug: string;
  let retired: string;
  let usd: string;

  beforeAll(async () => {
    suite = await startOrderSuite(await createTestEnvironment('order-place', ORDER_TEST_ENVIRONMENT), {
      waitFor,
    });
    const products = await suite.seedProducts([
      { name: 'Mug', priceCents: 1250 },
      { name: 'Old mug', sku: 'OLD-MUG', status: 'discontinued' },
      { name: 'Dollar mug', currency: 'USD' },
    ]);
    [mug, retired, usd] = products.map((p) => p.productId) as [string, string, string];
  });
  afterAll(() => suite?.dispose());

  const post = (body: unknown, headers: Record<string, string>) =>
    call(suite.instances[0]!.url, 'POST', '/orders', { body, headers });
  const rows = async (table: string) =>
    (await suite.database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  describe('idempotency', () => {
    it('answers a repeated request (same key, same body) with the first answer and places one order', async () => {
      const key = uuidv7();
      const body = orderBody([{ productId: mug, quantity: 2 }], SILENT_TOKEN);
      const first = await suite.placeOrder(body, { key });
      const eventsBefore = await rows('events');
      // Same meaning, other spelling: key order and id case do not make it another request.
      const second = await suite.placeOrder(
        { paymentMethod: body.paymentMethod, items: [{ quantity: 2, productId: mug.toUpperCase() }] },
        { key },
      );
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      // Through the gateway, the same stored answer links to the public path.
      const viaGateway = await post(body, {
        ...customerHeaders(),
        'idempotency-key': key,
        'x-forwarded-prefix': '/api',
      });
      expect(viaGateway.body).toEqual({ ...first.body, statusUrl: `/api/orders/${first.body.orderId}` });
      expect(await rows('events')).toBe(eventsBefore);
      expect(await suite.outboxTypes(first.body.orderId, TOPICS.inventoryCommands.name)).toEqual([
        'ReserveStock',
      ]);
    });

    it('refuses the same key with another body (422) and keeps the first order', async () => {
      const key = uuidv7();
      const first = await suite.placeOrder(orderBody([{ productId: mug }], SILENT_TOKEN), { key });
      const other = await suite.placeOrder(orderBody([{ productId: mug, quantity: 3 }], SILENT_TOKEN), {
        key,
      });
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await suite.orderEventTypes(first.body.orderId)).toEqual(['OrderPlaced']);
    });

    it('scopes keys per customer: the same key of another customer is another order', async () => {
      const key = uuidv7();
      const body = orderBody([{ productId: mug }], SILENT_TOKEN);
      const ana = await suite.placeOrder(body, { key, customer: 'ana' });
      const bob = await suite.placeOrder(body, { key, customer: 'bob' });
      expect(ana.status).toBe(202);
      expect(bob.status).toBe(202);
      expect(bob.body.orderId).not.toBe(ana.body.orderId);
    });

    it('places one order for 8 concurrent duplicates; every one gets the same answer', async () => {
      const key = uuidv7();
      const body = orderBody([{ productId: mug }], SILENT_TOKEN);
      const sagasBefore = await rows('placement_sagas');
      const answers = await Promise.all(Array.from({ length: 8 }, () => suite.placeOrder(body, { key })));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
      expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
      expect(await rows('placement_sagas')).toBe(sagasBefore + 1);
      const orderId = answers[0]!.body.orderId;
      expect(await suite.orderEventTypes(orderId)).toEqual(['OrderPlaced']);
      expect(await suite.outboxTypes(orderId, TOPICS.orderEvents.name)).toEqual(['OrderPlaced']);
    });
  });

  describe('validation', () => {
    const customer = () => ({ ...customerHeaders(), 'idempotency-key': uuidv7() });
    const valid = () => orderBody([{ productId: mug }], SILENT_TOKEN);

    it.each([
      ['no items', { paymentMethod: { token: SILENT_TOKEN } }, 'items'],
      ['empty items', { items: [], paymentMethod: { token: SILENT_TOKEN } }, 'items'],
      [
        'quantity 0',
        { items: [{ productId: uuidv7(), quantity: 0 }], paymentMethod: { token: SILENT_TOKEN } },
        'items.0.quantity',
      ],
      [
        'negative quantity',
        { items: [{ productId: uuidv7(), quantity: -2 }], paymentMethod: { token: SILENT_TOKEN } },
        'items.0.quantity',
      ],
      [
        'fractional quantity',
        { items: [{ productId: uuidv7(), quantity: 1.5 }], paymentMethod: { token: SILENT_TOKEN } },
        'items.0.quantity',
      ],
      [
        'malformed product id',
        { items: [{ productId: 'mug-1', quantity: 1 }], paymentMethod: { token: SILENT_TOKEN } },
        'items.0.productId',
      ],
      [
        'unknown token format',
        { items: [{ productId: uuidv7(), quantity: 1 }], paymentMethod: { token: '4242424242424242' } },
        'paymentMethod.token',
      ],
      ['no payment method', { items: [{ productId: uuidv7(), quantity: 1 }] }, 'paymentMethod'],
    ])('400 for %s, naming the field', async (_, body, path) => {
      const answer = await post(body, customer());
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    });

    it('400 for a quantity over the per-product maximum (the domain rule, after merging lines)', async () => {
      const body = orderBody(
        [
          { productId: mug, quantity: 60 },
          { productId: mug, quantity: 41 },
        ],
        SILENT_TOKEN,
      );
      const answer = await post(body, customer());
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.issues[0].path).toBe(`items[${mug}].quantity`);
    });

    it('400 without an Idempotency-Key, or with an unusable one', async () => {
      const none = await post(valid(), customerHeaders());
      expect(none.status).toBe(400);
      expect(none.body.error.details.issues).toEqual([{ path: 'Idempotency-Key', message: 'is required' }]);
      const spaced = await post(valid(), { ...customerHeaders(), 'idempotency-key': 'has spaces in it' });
      expect(spaced.status).toBe(400);
    });

    it('400 for malformed JSON, 413 for an oversized body, 401 without identity', async () => {
      const malformed = await call(suite.instances[0]!.url, 'POST', '/orders', {
        rawBody: '{"items": [',
        headers: customer(),
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('BAD_REQUEST');
      const huge = await call(suite.instances[0]!.url, 'POST', '/orders', {
        rawBody: JSON.stringify({ ...valid(), padding: 'x'.repeat(100_000) }),
        headers: customer(),
      });
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const anonymous = await post(valid(), { 'idempotency-key': uuidv7() });
      expect(anonymous.status).toBe(401);
    });

    it('422 naming unknown and discontinued products together; nothing is stored', async () => {
      const ghost = uuidv7();
      const eventsBefore = await rows('events');
      const answer = await post(
        orderBody([{ productId: ghost }, { productId: retired }, { productId: mug }]),
        customer(),
      );
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({
        code: 'UNPROCESSABLE',
        details: {
          unknownProductIds: [ghost],
          discontinued: [{ productId: retired, sku: 'OLD-MUG', name: 'Old mug' }],
        },
      });
      expect(await rows('events')).toBe(eventsBefore);
    });

    it('400 for an order mixing currencies', async () => {
      const answer = await post(orderBody([{ productId: mug }, { productId: usd }]), customer());
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBe('The order is not valid');
    });
  });

  describe('price replica', () => {
    it('prices orders from catalog events and ignores stale versions', async () => {
      const [lamp] = await suite.seedProducts([{ name: 'Lamp', priceCents: 3000 }]);
      const productId = lamp!.productId;
      const change = async (version: number, priceCents: number) => {
        const event = ProductPriceChangedV1.create({
          source: 'catalog',
          aggregateId: productId,
          aggregateVersion: version,
          payload: { ...lamp!, version, priceCents, previousPriceCents: 3000 },
        });
        await suite.participants.publish(event);
        return event.id;
      };
      const replica = async () =>
        (
          await suite.database.sql.query<{ price_cents: number; version: number }>(
            'SELECT price_cents, version FROM product_prices WHERE product_id = $1::uuid',
            [productId],
          )
        )[0]!;
      const processed = async (messageId: string) =>
        (
          await suite.database.sql.query(
            `SELECT 1 FROM inbox WHERE message_id = $1::uuid AND consumer_group = 'order-price-replica'`,
            [messageId],
          )
        ).length === 1;

      await change(3, 3300);
      await waitFor(async () => (await replica()).version === 3);
      const stale = await change(2, 3200); // older than what the replica has: ignored
      await waitFor(() => processed(stale));
      expect(await replica()).toEqual({ price_cents: 3300, version: 3 });

      const placed = await suite.placeOrder(orderBody([{ productId, quantity: 2 }], SILENT_TOKEN));
      const [event] = await suite.database.sql.query<{ payload: { totalCents: number } }>(
        'SELECT payload FROM events WHERE stream_id = $1',
        [`order-${placed.body.orderId}`],
      );
      expect(event!.payload.totalCents).toBe(6600);
    });
  });
});
