import { uuidv7 } from '@shop/contracts';
import { createTestEnvironment, waitFor } from '@shop/testing';
import {
  ORDER_TEST_ENVIRONMENT,
  orderBody,
  startOrderSuite,
  type OrderSuite,
} from '../test-support/order-suite';
import { SILENT_TOKEN } from '../test-support/saga-participants';
import type { RunningOrder } from '../test-support/start-order';
import { SagaTimerScheduler } from './saga-timer-scheduler';

/**
 * Reply timeouts with two instances side by side: the timer lives in the
 * saga row, one elected scheduler fires it, and it survives the instance
 * that armed it.
 */
describe('saga timers', () => {
  let suite: OrderSuite;
  let mug: string;
  const stuck = uuidv7();

  beforeAll(async () => {
    suite = await startOrderSuite(await createTestEnvironment('order-timers', ORDER_TEST_ENVIRONMENT), {
      waitFor,
      instances: 2,
      participants: { silentStock: new Set([stuck]) },
      // Short forward timeouts; long enough that stopping an instance finishes well before one is due.
      env: { SAGA_RESERVE_STOCK_TIMEOUT_MS: '6000', SAGA_AUTHORIZE_PAYMENT_TIMEOUT_MS: '6000' },
    });
    const [product] = await suite.seedProducts([{ name: 'Mug' }, { productId: stuck, name: 'Lamp' }]);
    mug = product!.productId;
  });
  afterAll(() => suite?.dispose());

  const scheduler = (instance: RunningOrder) => instance.app.get(SagaTimerScheduler);
  const commandTypes = (orderId: string) => suite.participants.commandsOf(orderId).map((c) => c.type);
  const leader = async (candidates: RunningOrder[]) => {
    let found: RunningOrder | undefined;
    await waitFor(() => {
      const leaders = candidates.filter((i) => scheduler(i).isLeader);
      found = leaders.length === 1 ? leaders[0] : undefined;
      return !!found;
    });
    return found!;
  };

  it('elects exactly one scheduler among the instances', async () => {
    await leader(suite.instances);
    expect(suite.instances.filter((i) => scheduler(i).isLeader)).toHaveLength(1);
  });

  it('cancels an order whose reservation gets no reply, releasing whatever may have been reserved', async () => {
    const placed = await suite.placeOrder(orderBody([{ productId: stuck }]));
    const { orderId } = placed.body;
    const saga = await suite.waitForSaga(orderId, ['CANCELLED']);
    expect(saga.cancellation).toEqual({ reason: 'STOCK_RESERVATION_TIMED_OUT' });
    await waitFor(() => commandTypes(orderId).length === 2);
    expect(commandTypes(orderId)).toEqual(['ReserveStock', 'ReleaseStock']);
    expect(suite.participants.commandsOf(orderId, 'ReleaseStock')[0]!.payload).toEqual({
      orderId,
      reservationId: null,
    });
    expect(await suite.orderEventTypes(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(saga.timer).toBeNull();
  });

  it('voids then releases when the payment authorization gets no reply', async () => {
    const placed = await suite.placeOrder(orderBody([{ productId: mug }], SILENT_TOKEN));
    const { orderId } = placed.body;
    const saga = await suite.waitForSaga(orderId, ['CANCELLED']);
    expect(saga.cancellation).toEqual({ reason: 'PAYMENT_TIMED_OUT' });
    await waitFor(() => commandTypes(orderId).length === 4);
    expect(commandTypes(orderId)).toEqual([
      'ReserveStock',
      'AuthorizePayment',
      'VoidPayment',
      'ReleaseStock',
    ]);
    expect(suite.participants.commandsOf(orderId, 'VoidPayment')[0]!.payload).toEqual({
      orderId,
      paymentId: null,
    });
    expect(await suite.orderEventTypes(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('fires a timer on the other instance when the instance that armed it (the scheduler leader) stops', async () => {
    const armedBy = await leader(suite.instances);
    const placed = await suite.placeOrder(orderBody([{ productId: stuck }]), { instance: armedBy });
    const { orderId } = placed.body;
    const armed = await suite.sagaOf(orderId);
    expect(armed?.timer).toMatchObject({ step: 'RESERVE_STOCK', purpose: 'REPLY' });

    // Its scheduler stops first, as at shutdown, and before the timer is due (closing the whole app
    // can take longer than the timeout on a busy machine): whatever fires the timer now is another instance.
    await scheduler(armedBy).stop();
    expect((await suite.sagaOf(orderId))?.status).toBe('RESERVING_STOCK');
    await armedBy.app.close();
    suite.instances.splice(suite.instances.indexOf(armedBy), 1);

    const survivor = await leader(suite.instances);
    expect(survivor).not.toBe(armedBy);
    const saga = await suite.waitForSaga(orderId, ['CANCELLED']);
    expect(saga.cancellation?.reason).toBe('STOCK_RESERVATION_TIMED_OUT');
    await waitFor(() => commandTypes(orderId).includes('ReleaseStock'));
  });
});
