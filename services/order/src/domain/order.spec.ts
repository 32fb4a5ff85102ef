import { rehydrate, type AggregateDefinition } from '@shop/event-store';
import {
  cancelOrder,
  confirmOrder,
  evolveOrder,
  initialOrderState,
  MAX_LINES,
  MAX_QUANTITY_PER_PRODUCT,
  OrderRuleViolation,
  OrderStateConflict,
  placeOrder,
  recordPaymentOutcome,
  UnavailableProducts,
  type Order,
  type OrderEvent,
  type OrderState,
  type PricedProduct,
} from './order';

const now = new Date('2026-11-21T10:00:00Z');
const later = new Date('2026-11-21T10:05:00Z');
const MUG = 'p-mug';
const TEA = 'p-tea';
const OLD = 'p-old';

function product(productId: string, overrides: Partial<PricedProduct> = {}): PricedProduct {
  return {
    productId,
    sku: productId.toUpperCase(),
    name: `Name of ${productId}`,
    priceCents: 1000,
    currency: 'EUR',
    status: 'active',
    ...overrides,
  };
}

const book = new Map<string, PricedProduct>([
  [MUG, product(MUG, { sku: 'MUG-1', name: 'Mug', priceCents: 1250 })],
  [TEA, product(TEA, { sku: 'TEA-1', name: 'Tea', priceCents: 399 })],
  [OLD, product(OLD, { sku: 'OLD-1', name: 'Old lamp', status: 'discontinued' })],
]);

const fold = (events: OrderEvent[], state: OrderState = initialOrderState) =>
  events.reduce(evolveOrder, state);

function place(
  items = [
    { productId: MUG, quantity: 2 },
    { productId: TEA, quantity: 1 },
  ],
) {
  return placeOrder({ orderId: 'o-1', customerId: 'c-1', items }, book, now);
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function pending(): Order {
  return fold(place()) as Order;
}

describe('placeOrder', () => {
  it('prices lines from the replica and totals them in integer cents', () => {
    const events = place();
    expect(events).toEqual([
      {
        type: 'OrderPlaced',
        payload: {
          orderId: 'o-1',
          customerId: 'c-1',
          currency: 'EUR',
          totalCents: 2 * 1250 + 399,
          placedAt: now.toISOString(),
          lines: [
            {
              productId: MUG,
              sku: 'MUG-1',
              name: 'Mug',
              unitPriceCents: 1250,
              quantity: 2,
              lineTotalCents: 2500,
            },
            {
              productId: TEA,
              sku: 'TEA-1',
              name: 'Tea',
              unitPriceCents: 399,
              quantity: 1,
              lineTotalCents: 399,
            },
          ],
        },
      },
    ]);
    expect(fold(events)).toMatchObject({
      id: 'o-1',
      status: 'PENDING',
      paymentStatus: 'NONE',
      totalCents: 2899,
    });
  });

  it('merges lines of the same product, keeping the first position', () => {
    const [placed] = place([
      { productId: TEA, quantity: 1 },
      { productId: MUG, quantity: 1 },
      { productId: TEA, quantity: 2 },
    ]);
    expect(
      placed!.type === 'OrderPlaced' && placed!.payload.lines.map((l) => [l.productId, l.quantity]),
    ).toEqual([
      [TEA, 3],
      [MUG, 1],
    ]);
  });

  it('names unknown and discontinued products together', () => {
    const attempt = () =>
      place([
        { productId: 'p-ghost', quantity: 1 },
        { productId: OLD, quantity: 1 },
        { productId: MUG, quantity: 1 },
      ]);
    expect(attempt).toThrow(UnavailableProducts);
    expect(attempt).toThrow('unknown products: p-ghost; discontinued products: Old lamp (OLD-1)');
    expect(thrownBy(attempt)).toMatchObject({
      code: 'PRODUCTS_UNAVAILABLE',
      unknownProductIds: ['p-ghost'],
      discontinued: [{ productId: OLD, sku: 'OLD-1', name: 'Old lamp' }],
    });
  });

  it('names a discontinued product alone', () => {
    expect(thrownBy(() => place([{ productId: OLD, quantity: 1 }]))).toMatchObject({
      message: 'discontinued products: Old lamp (OLD-1)',
      unknownProductIds: [],
    });
  });

  it.each([
    [[], 'items must contain at least one item'],
    [[{ productId: MUG, quantity: 0 }], 'items[0].quantity must be a positive integer'],
    [[{ productId: MUG, quantity: -1 }], 'items[0].quantity must be a positive integer'],
    [[{ productId: MUG, quantity: 1.5 }], 'items[0].quantity must be a positive integer'],
    [
      [{ productId: MUG, quantity: MAX_QUANTITY_PER_PRODUCT + 1 }],
      `must be at most ${MAX_QUANTITY_PER_PRODUCT} per product`,
    ],
    [
      [
        { productId: MUG, quantity: MAX_QUANTITY_PER_PRODUCT },
        { productId: MUG, quantity: 1 },
      ],
      `items[${MUG}].quantity must be at most ${MAX_QUANTITY_PER_PRODUCT} per product`,
    ],
  ])('refuses %j: %s', (items, message) => {
    expect(() => place(items)).toThrow(OrderRuleViolation);
    expect(() => place(items)).toThrow(message);
  });

  it('accepts the max quantity exactly', () => {
    expect(() => place([{ productId: MUG, quantity: MAX_QUANTITY_PER_PRODUCT }])).not.toThrow();
  });

  it(`refuses more than ${MAX_LINES} distinct products`, () => {
    const many = new Map(Array.from({ length: MAX_LINES + 1 }, (_, i) => [`p${i}`, product(`p${i}`)]));
    const items = [...many.keys()].map((productId) => ({ productId, quantity: 1 }));
    const command = { orderId: 'o', customerId: 'c', items };
    expect(() => placeOrder(command, many, now)).toThrow(`items must have at most ${MAX_LINES} products`);
    expect(() => placeOrder({ ...command, items: items.slice(1) }, many, now)).not.toThrow();
  });

  it('refuses mixed currencies', () => {
    const mixed = new Map([...book, ['p-usd', product('p-usd', { currency: 'USD' })]]);
    const command = {
      orderId: 'o',
      customerId: 'c',
      items: [
        { productId: MUG, quantity: 1 },
        { productId: 'p-usd', quantity: 1 },
      ],
    };
    expect(() => placeOrder(command, mixed, now)).toThrow(
      'items mix currencies (EUR, USD); one currency per order',
    );
  });

  it('refuses a total beyond the maximum', () => {
    const dear = new Map([['p-gold', product('p-gold', { priceCents: 10_000_000_00 })]]);
    const command = { orderId: 'o', customerId: 'c', items: [{ productId: 'p-gold', quantity: 11 }] };
    expect(() => placeOrder(command, dear, now)).toThrow(OrderRuleViolation);
    expect(() =>
      placeOrder({ ...command, items: [{ productId: 'p-gold', quantity: 10 }] }, dear, now),
    ).not.toThrow();
  });
});

describe('confirmOrder', () => {
  it('confirms a pending order with its authorized payment', () => {
    const events = confirmOrder(pending(), 'pay-1', later);
    expect(events).toEqual([
      {
        type: 'OrderConfirmed',
        payload: { orderId: 'o-1', paymentId: 'pay-1', confirmedAt: later.toISOString() },
      },
    ]);
    expect(fold(events, pending())).toMatchObject({
      status: 'CONFIRMED',
      paymentStatus: 'AUTHORIZED',
      paymentId: 'pay-1',
    });
  });

  it('is a no-op the second time with the same payment, a conflict with another', () => {
    const confirmed = fold(confirmOrder(pending(), 'pay-1', later), pending());
    expect(confirmOrder(confirmed, 'pay-1', later)).toEqual([]);
    expect(() => confirmOrder(confirmed, 'pay-2', later)).toThrow(OrderStateConflict);
  });

  it('refuses a cancelled order and an order that does not exist', () => {
    const cancelled = fold(cancelOrder(pending(), 'PAYMENT_DECLINED', later), pending());
    expect(() => confirmOrder(cancelled, 'pay-1', later)).toThrow('order o-1 is CANCELLED, cannot confirm');
    expect(() => confirmOrder(initialOrderState, 'pay-1', later)).toThrow('order does not exist');
  });
});

describe('cancelOrder', () => {
  it('cancels a pending order with a reason and optional detail', () => {
    const events = cancelOrder(pending(), 'OUT_OF_STOCK', later, 'Mug: 1 left');
    expect(events).toEqual([
      {
        type: 'OrderCancelled',
        payload: {
          orderId: 'o-1',
          reason: 'OUT_OF_STOCK',
          detail: 'Mug: 1 left',
          cancelledAt: later.toISOString(),
        },
      },
    ]);
    expect(fold(events, pending())).toMatchObject({
      status: 'CANCELLED',
      cancellation: { reason: 'OUT_OF_STOCK', detail: 'Mug: 1 left', cancelledAt: later.toISOString() },
    });
  });

  it('leaves detail out when there is none (JSON round trip equals the fold)', () => {
    const [event] = cancelOrder(pending(), 'CUSTOMER_REQUEST', later);
    expect(event!.payload).not.toHaveProperty('detail');
    const state = fold([event!], pending());
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('is idempotent for the same reason and refuses another reason', () => {
    const cancelled = fold(cancelOrder(pending(), 'PAYMENT_TIMED_OUT', later), pending());
    expect(cancelOrder(cancelled, 'PAYMENT_TIMED_OUT', later)).toEqual([]);
    expect(() => cancelOrder(cancelled, 'CUSTOMER_REQUEST', later)).toThrow(OrderStateConflict);
  });

  it('refuses a confirmed order', () => {
    const confirmed = fold(confirmOrder(pending(), 'pay-1', later), pending());
    expect(() => cancelOrder(confirmed, 'CUSTOMER_REQUEST', later)).toThrow(
      'order o-1 is CONFIRMED, cannot cancel',
    );
  });
});

describe('recordPaymentOutcome', () => {
  it('records a capture on a confirmed order, once', () => {
    const confirmed = fold(confirmOrder(pending(), 'pay-1', later), pending());
    const events = recordPaymentOutcome(confirmed, 'CAPTURED', 'pay-1', later);
    expect(events.map((e) => e.type)).toEqual(['OrderPaymentCaptured']);
    const captured = fold(events, confirmed);
    expect(captured).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'CAPTURED' });
    expect(recordPaymentOutcome(captured, 'CAPTURED', 'pay-1', later)).toEqual([]);
  });

  it('records a void or refund only on a cancelled order', () => {
    const cancelled = fold(cancelOrder(pending(), 'PAYMENT_TIMED_OUT', later), pending());
    expect(fold(recordPaymentOutcome(cancelled, 'VOIDED', 'pay-1', later), cancelled)).toMatchObject({
      paymentStatus: 'VOIDED',
      paymentId: 'pay-1',
    });
    expect(fold(recordPaymentOutcome(cancelled, 'REFUNDED', 'pay-1', later), cancelled)).toMatchObject({
      paymentStatus: 'REFUNDED',
    });
    expect(() => recordPaymentOutcome(pending(), 'VOIDED', 'pay-1', later)).toThrow(OrderStateConflict);
    expect(() => recordPaymentOutcome(cancelled, 'CAPTURED', 'pay-1', later)).toThrow(OrderStateConflict);
  });
});

describe('evolveOrder', () => {
  it('replays a whole history the same through a JSON round trip (snapshot-safe)', () => {
    const history: OrderEvent[] = [...place()];
    history.push(...confirmOrder(fold(history), 'pay-1', later));
    history.push(...recordPaymentOutcome(fold(history), 'CAPTURED', 'pay-1', later));
    const whole = fold(history);
    const viaSnapshot = fold(history.slice(2), JSON.parse(JSON.stringify(fold(history.slice(0, 2)))));
    expect(viaSnapshot).toEqual(whole);
    expect(whole).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'CAPTURED', cancellation: null });
  });

  it("plugs into the event store's AggregateRepository definition and rehydrate", () => {
    const definition: AggregateDefinition<OrderState, OrderEvent> = {
      streamType: 'order',
      initialState: initialOrderState,
      evolve: evolveOrder,
      snapshotEvery: 50,
    };
    const history = [...place(), ...cancelOrder(pending(), 'OUT_OF_STOCK', later)];
    const state = rehydrate(definition.initialState, definition.evolve, history);
    expect(state).toMatchObject({ status: 'CANCELLED', cancellation: { reason: 'OUT_OF_STOCK' } });
  });

  it('throws on an event for an order that was never placed', () => {
    const [confirmed] = confirmOrder(pending(), 'pay-1', later);
    expect(() => evolveOrder(initialOrderState, confirmed!)).toThrow(OrderStateConflict);
  });
});
