import { TOPICS, uuidv7 } from '@shop/contracts';
import { createTestEnvironment, waitFor } from '@shop/testing';
import {
  ORDER_TEST_ENVIRONMENT,
  orderBody,
  startOrderSuite,
  type OrderSuite,
} from '../test-support/order-suite';
import { DECLINE_TOKEN, SILENT_TOKEN } from '../test-support/saga-participants';
import { adminHeaders, call, customerHeaders, type LooseJson } from '../test-support/start-order';

/**
 * Whole orders through the saga: the service's commands go out through its
 * outbox and Kafka, the test answers as inventory and payment would.
 */
describe('placement saga', () => {
  let suite: OrderSuite;
  let mug: string;
  let pan: string;
  const soldOut = uuidv7();
  const stuck = uuidv7();

  beforeAll(async () => {
    suite = await startOrderSuite(await createTestEnvironment('order-saga', ORDER_TEST_ENVIRONMENT), {
      waitFor,
      participants: { outOfStock: new Set([soldOut]), silentStock: new Set([stuck]) },
    });
    const products = await suite.seedProducts([
      { name: 'Mug', priceCents: 1250 },
      { name: 'Pan', priceCents: 4000 },
      { productId: soldOut, name: 'Rare vase', priceCents: 9900 },
      { productId: stuck, name: 'Slow lamp', priceCents: 2000 },
    ]);
    mug = products[0]!.productId;
    pan = products[1]!.productId;
  });
  afterAll(() => suite?.dispose());

  const commandTypes = (orderId: string) => suite.participants.commandsOf(orderId).map((c) => c.type);

  it('confirms a paid order: reserve, authorize, then commit and capture, each sent once', async () => {
    const placed = await suite.placeOrder(orderBody([{ productId: mug, quantity: 2 }, { productId: pan }]));
    expect(placed.status).toBe(202);
    const { orderId } = placed.body;
    expect(placed.body).toEqual({ orderId, status: 'PENDING', statusUrl: `/orders/${orderId}` });

    const saga = await suite.waitForSaga(orderId, ['COMPLETED']);
    expect(saga.paymentId).toEqual(expect.any(String));
    // The read model (src/order-view) follows the order events.
    let view: LooseJson;
    await waitFor(
      async () => {
        view = (
          await call(suite.instances[0]!.url, 'GET', `/orders/${orderId}`, { headers: customerHeaders() })
        ).body;
        return view?.paymentStatus === 'CAPTURED';
      },
      { describe: () => JSON.stringify(view) },
    );
    expect(view).toMatchObject({
      id: orderId,
      status: 'CONFIRMED',
      totalCents: 6500,
      paymentId: saga.paymentId,
    });
    await waitFor(async () => (await suite.unpublished()) === 0);
    expect(await suite.orderEventTypes(orderId)).toEqual([
      'OrderPlaced',
      'OrderConfirmed',
      'OrderPaymentCaptured',
    ]);
    // In order per topic (the two topics are independent of each other).
    expect(await suite.outboxTypes(orderId, TOPICS.inventoryCommands.name)).toEqual([
      'ReserveStock',
      'CommitStock',
    ]);
    expect(await suite.outboxTypes(orderId, TOPICS.paymentCommands.name)).toEqual([
      'AuthorizePayment',
      'CapturePayment',
    ]);
    expect(commandTypes(orderId).sort()).toEqual([
      'AuthorizePayment',
      'CapturePayment',
      'CommitStock',
      'ReserveStock',
    ]);
    const [reserve] = suite.participants.commandsOf(orderId, 'ReserveStock');
    expect(reserve!.payload).toEqual({
      orderId,
      items: [
        { productId: mug, quantity: 2 },
        { productId: pan, quantity: 1 },
      ],
    });
    const [authorize] = suite.participants.commandsOf(orderId, 'AuthorizePayment');
    expect(authorize!.payload).toMatchObject({ amountCents: 2 * 1250 + 4000, currency: 'EUR' });
    // One flow: every command carries the placement's correlation id.
    const correlation = new Set(suite.participants.commandsOf(orderId).map((c) => c.correlationId));
    expect(correlation.size).toBe(1);
    // The integration events, in order, with the customer on each; the token never leaves the saga.
    expect(await suite.outboxTypes(orderId, TOPICS.orderEvents.name)).toEqual([
      'OrderPlaced',
      'OrderConfirmed',
      'OrderPaymentCaptured',
    ]);
    const [events] = await suite.database.sql.query<{ envelopes: unknown }>(
      `SELECT json_agg(envelope ORDER BY sequence) AS envelopes FROM outbox WHERE key = $1 AND topic = $2`,
      [orderId, TOPICS.orderEvents.name],
    );
    expect(JSON.stringify(events!.envelopes)).not.toContain('tok_');
    expect(events!.envelopes).toEqual([
      expect.objectContaining({
        aggregateVersion: 1,
        payload: expect.objectContaining({ customerId: 'customer-1', totalCents: 6500 }),
      }),
      expect.objectContaining({
        aggregateVersion: 2,
        payload: expect.objectContaining({
          customerId: 'customer-1',
          paymentId: saga.paymentId,
          totalCents: 6500,
          currency: 'EUR',
        }),
      }),
      expect.objectContaining({
        aggregateVersion: 3,
        payload: expect.objectContaining({ customerId: 'customer-1', paymentId: saga.paymentId }),
      }),
    ]);
  });

  it('cancels an order whose stock is short without ever asking payment', async () => {
    const placed = await suite.placeOrder(orderBody([{ productId: mug }, { productId: soldOut }]));
    const { orderId } = placed.body;
    const saga = await suite.waitForSaga(orderId, ['CANCELLED']);
    expect(saga.cancellation).toEqual({ reason: 'OUT_OF_STOCK', detail: 'OUT_OF_STOCK' });
    expect(await suite.orderEventTypes(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
    await waitFor(async () => (await suite.unpublished()) === 0);
    expect(commandTypes(orderId)).toEqual(['ReserveStock']);
    expect(await suite.outboxTypes(orderId, TOPICS.paymentCommands.name)).toEqual([]);
  });

  it('releases the stock of a declined payment, then cancels', async () => {
    const placed = await suite.placeOrder(orderBody([{ productId: pan }], DECLINE_TOKEN));
    const { orderId } = placed.body;
    const saga = await suite.waitForSaga(orderId, ['CANCELLED']);
    expect(saga.cancellation?.reason).toBe('PAYMENT_DECLINED');
    expect(commandTypes(orderId)).toEqual(['ReserveStock', 'AuthorizePayment', 'ReleaseStock']);
    const [release] = suite.participants.commandsOf(orderId, 'ReleaseStock');
    expect(release!.payload).toEqual({ orderId, reservationId: saga.reservationId });
    expect(await suite.orderEventTypes(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(await suite.outboxTypes(orderId, TOPICS.paymentCommands.name)).toEqual(['AuthorizePayment']);
  });

  it('lets the customer cancel a pending order (202), compensating what was done', async () => {
    const placed = await suite.placeOrder(orderBody([{ productId: mug }], SILENT_TOKEN));
    const { orderId } = placed.body;
    await suite.waitForSaga(orderId, ['AUTHORIZING_PAYMENT']);

    const stranger = await call(suite.instances[0]!.url, 'POST', `/orders/${orderId}/cancel`, {
      headers: customerHeaders('someone-else'),
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('FORBIDDEN');

    const cancelled = await call(suite.instances[0]!.url, 'POST', `/orders/${orderId}/cancel`, {
      headers: customerHeaders(),
    });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toEqual({ orderId, status: 'CANCELLED', statusUrl: `/orders/${orderId}` });
    const saga = await suite.waitForSaga(orderId, ['CANCELLED']);
    expect(saga.cancellation).toEqual({ reason: 'CUSTOMER_REQUEST' });
    await waitFor(() => commandTypes(orderId).length === 4);
    expect(commandTypes(orderId)).toEqual([
      'ReserveStock',
      'AuthorizePayment',
      'VoidPayment',
      'ReleaseStock',
    ]);
    // Asking again is still accepted, and changes nothing.
    const again = await call(suite.instances[0]!.url, 'POST', `/orders/${orderId}/cancel`, {
      headers: customerHeaders(),
    });
    expect(again.status).toBe(202);
    expect(await suite.orderEventTypes(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('refuses to cancel a confirmed order (409), an unknown one (404), and lets an admin cancel any pending one', async () => {
    const confirmed = (await suite.placeOrder(orderBody([{ productId: mug }]))).body.orderId;
    await suite.waitForSaga(confirmed, ['COMPLETED']);
    const late = await call(suite.instances[0]!.url, 'POST', `/orders/${confirmed}/cancel`, {
      headers: customerHeaders(),
    });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'CONFLICT', details: { status: 'CONFIRMED' } });

    const unknown = await call(suite.instances[0]!.url, 'POST', `/orders/${uuidv7()}/cancel`, {
      headers: customerHeaders(),
    });
    expect(unknown.status).toBe(404);
    const malformed = await call(suite.instances[0]!.url, 'POST', `/orders/not-a-uuid/cancel`, {
      headers: customerHeaders(),
    });
    expect(malformed.status).toBe(400);

    const pending = (await suite.placeOrder(orderBody([{ productId: stuck }]))).body.orderId;
    await suite.waitForSaga(pending, ['RESERVING_STOCK']);
    const byAdmin = await call(suite.instances[0]!.url, 'POST', `/orders/${pending}/cancel`, {
      headers: adminHeaders(),
    });
    expect(byAdmin.status).toBe(202);
    await suite.waitForSaga(pending, ['CANCELLED']);
    expect(commandTypes(pending)).toEqual(['ReserveStock', 'ReleaseStock']);
  });

  it('shows sagas by status to admins only, without payment tokens; resume needs a parked saga', async () => {
    const denied = await call(suite.instances[0]!.url, 'GET', '/admin/sagas?status=COMPLETED', {
      headers: customerHeaders(),
    });
    expect(denied.status).toBe(403);
    const listed = await call(suite.instances[0]!.url, 'GET', '/admin/sagas?status=COMPLETED', {
      headers: adminHeaders(),
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.length).toBeGreaterThanOrEqual(2);
    expect(listed.body.items[0]).toMatchObject({ sagaStatus: 'COMPLETED', orderStatus: 'CONFIRMED' });
    expect(JSON.stringify(listed.body)).not.toContain('tok_');
    const bad = await call(suite.instances[0]!.url, 'GET', '/admin/sagas?status=SLEEPING', {
      headers: adminHeaders(),
    });
    expect(bad.status).toBe(400);

    const orderId = listed.body.items[0].orderId;
    const resume = await call(suite.instances[0]!.url, 'POST', `/orders/${orderId}/resume`, {
      headers: adminHeaders(),
    });
    expect(resume.status).toBe(409);
    const byCustomer = await call(suite.instances[0]!.url, 'POST', `/orders/${orderId}/resume`, {
      headers: customerHeaders(),
    });
    expect(byCustomer.status).toBe(403);
  });
});
