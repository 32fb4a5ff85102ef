import { TOPICS, uuidv7 } from '@shop/contracts';
import { createTestEnvironment, waitFor } from '@shop/testing';
import {
  ORDER_TEST_ENVIRONMENT,
  orderBody,
  startOrderSuite,
  type OrderSuite,
} from '../test-support/order-suite';
import { DECLINE_TOKEN } from '../test-support/saga-participants';

/**
 * Chaos: two instances whose outbox relays publish every message twice
 * (CHAOS_DUPLICATE_DELIVERY), and participants that answer every delivery
 * (a new reply per delivered command) and publish every reply twice. The
 * outcomes must be those of a clean run, with every command sent once.
 */
// Two instances join the same groups: on the dev broker a group may stall up to a session timeout
// before it settles (docs/development.md), so these tests get more than the default minute.
jest.setTimeout(180_000);

describe('saga under duplicate delivery', () => {
  let suite: OrderSuite;
  let mug: string;
  let pan: string;
  const soldOut = uuidv7();

  beforeAll(async () => {
    suite = await startOrderSuite(await createTestEnvironment('order-duplicates', ORDER_TEST_ENVIRONMENT), {
      waitFor,
      instances: 2,
      env: { CHAOS_DUPLICATE_DELIVERY: 'true' },
      participants: { duplicateReplies: true, outOfStock: new Set([soldOut]) },
    });
    const products = await suite.seedProducts([
      { name: 'Mug', priceCents: 1250 },
      { name: 'Pan', priceCents: 4000 },
      { productId: soldOut, name: 'Vase' },
    ]);
    [mug, pan] = products.map((p) => p.productId) as [string, string];
  });
  afterAll(() => suite?.dispose());

  /** What the outbox sent for the order: distinct command messages per type. */
  const sentOnce = (orderId: string, types: string[]) => {
    for (const type of types) {
      expect(suite.participants.distinctCommandsOf(orderId, type)).toHaveLength(1);
      // ...and the chaos really delivered it more than once.
      expect(suite.participants.commandsOf(orderId, type).length).toBeGreaterThanOrEqual(2);
    }
  };

  it('confirms paid orders exactly once, placed through both instances', async () => {
    const placed = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        suite.placeOrder(orderBody([{ productId: i % 2 ? mug : pan, quantity: i + 1 }]), {
          instance: suite.instances[i % 2]!,
        }),
      ),
    );
    const orderIds = placed.map((p) => p.body.orderId as string);
    for (const orderId of orderIds) await suite.waitForSaga(orderId, ['COMPLETED']);
    await waitFor(async () => (await suite.unpublished()) === 0);
    await waitFor(() =>
      orderIds.every((id) => suite.participants.commandsOf(id, 'CapturePayment').length >= 2),
    );
    for (const orderId of orderIds) {
      expect(await suite.orderEventTypes(orderId)).toEqual([
        'OrderPlaced',
        'OrderConfirmed',
        'OrderPaymentCaptured',
      ]);
      expect(await suite.outboxTypes(orderId, TOPICS.orderEvents.name)).toEqual([
        'OrderPlaced',
        'OrderConfirmed',
        'OrderPaymentCaptured',
      ]);
      sentOnce(orderId, ['ReserveStock', 'AuthorizePayment', 'CommitStock', 'CapturePayment']);
      expect(suite.participants.commandsOf(orderId, 'VoidPayment')).toEqual([]);
      expect(suite.participants.commandsOf(orderId, 'ReleaseStock')).toEqual([]);
    }
  });

  it('cancels out-of-stock and declined orders once, releasing the declined one once', async () => {
    const short = (await suite.placeOrder(orderBody([{ productId: soldOut }]))).body.orderId;
    const declined = (await suite.placeOrder(orderBody([{ productId: mug }], DECLINE_TOKEN))).body.orderId;

    expect((await suite.waitForSaga(short, ['CANCELLED'])).cancellation?.reason).toBe('OUT_OF_STOCK');
    expect((await suite.waitForSaga(declined, ['CANCELLED'])).cancellation?.reason).toBe('PAYMENT_DECLINED');
    await waitFor(async () => (await suite.unpublished()) === 0);
    await waitFor(() => suite.participants.commandsOf(declined, 'ReleaseStock').length >= 2);

    expect(await suite.orderEventTypes(short)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(await suite.orderEventTypes(declined)).toEqual(['OrderPlaced', 'OrderCancelled']);
    sentOnce(short, ['ReserveStock']);
    expect(suite.participants.commandsOf(short, 'AuthorizePayment')).toEqual([]);
    sentOnce(declined, ['ReserveStock', 'AuthorizePayment', 'ReleaseStock']);
  });
});
