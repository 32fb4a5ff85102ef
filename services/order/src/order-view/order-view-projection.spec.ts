import {
  cancelOrder,
  confirmOrder,
  evolveOrder,
  initialOrderState,
  placeOrder,
  recordPaymentOutcome,
  type OrderEvent,
  type OrderState,
  type PricedProduct,
} from '../domain';
import {
  applyOrderEvent,
  CorruptOrderStream,
  foldOrderView,
  type OrderView,
  type VersionedOrderEvent,
} from './order-view-projection';

const ORDER = '0190a000-0000-7000-8000-000000000001';
const MUG = '0190a000-0000-7000-8000-00000000a001';
const TEA = '0190a000-0000-7000-8000-00000000a002';
const t = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute, 0, 0));
const iso = (minute: number) => t(minute).toISOString();

const book = new Map<string, PricedProduct>([
  [MUG, { productId: MUG, sku: 'MUG-1', name: 'Mug', priceCents: 1250, currency: 'EUR', status: 'active' }],
  [TEA, { productId: TEA, sku: 'TEA-1', name: 'Tea', priceCents: 399, currency: 'EUR', status: 'active' }],
]);

/** Runs the aggregate's decisions, so the events are exactly what the command side appends. */
function history(...steps: ((state: OrderState, at: Date) => OrderEvent[])[]): VersionedOrderEvent[] {
  let state: OrderState = initialOrderState;
  const events: VersionedOrderEvent[] = [];
  steps.forEach((step, i) => {
    for (const event of step(state, t(i))) {
      state = evolveOrder(state, event);
      events.push({ version: events.length + 1, event });
    }
  });
  return events;
}

const placed = (_: OrderState, at: Date) =>
  placeOrder(
    {
      orderId: ORDER,
      customerId: 'customer-1',
      items: [
        { productId: MUG, quantity: 2 },
        { productId: TEA, quantity: 1 },
      ],
    },
    book,
    at,
  );
const confirmed = (s: OrderState, at: Date) => confirmOrder(s, 'pay-1', at);
const captured = (s: OrderState, at: Date) => recordPaymentOutcome(s, 'CAPTURED', 'pay-1', at);
const cancelled =
  (detail?: string) =>
  (s: OrderState, at: Date): OrderEvent[] =>
    cancelOrder(s, 'PAYMENT_DECLINED', at, detail);
const voided = (s: OrderState, at: Date) => recordPaymentOutcome(s, 'VOIDED', 'pay-1', at);
const refunded = (s: OrderState, at: Date) => recordPaymentOutcome(s, 'REFUNDED', 'pay-9', at);

function applied(view: OrderView | null, event: VersionedOrderEvent): OrderView {
  const result = applyOrderEvent(view, event);
  if (result.outcome !== 'applied') throw new Error(`expected applied, got ${result.outcome}`);
  return result.view;
}

const PLACED_VIEW: OrderView = {
  id: ORDER,
  customerId: 'customer-1',
  status: 'PENDING',
  lines: [
    { productId: MUG, sku: 'MUG-1', name: 'Mug', unitPriceCents: 1250, quantity: 2, lineTotalCents: 2500 },
    { productId: TEA, sku: 'TEA-1', name: 'Tea', unitPriceCents: 399, quantity: 1, lineTotalCents: 399 },
  ],
  currency: 'EUR',
  totalCents: 2899,
  paymentStatus: 'NONE',
  paymentId: null,
  cancellationReason: null,
  cancellationDetail: null,
  timeline: [{ type: 'PLACED', at: iso(0) }],
  version: 1,
  placedAt: iso(0),
  updatedAt: iso(0),
};

describe('applyOrderEvent', () => {
  it('OrderPlaced starts the view: lines, currency, total, PENDING, placed time from the event', () => {
    const [first] = history(placed);
    expect(applied(null, first!)).toEqual(PLACED_VIEW);
  });

  it('OrderConfirmed: CONFIRMED, payment AUTHORIZED with its id, timeline entry at confirmedAt', () => {
    const [p, c] = history(placed, confirmed);
    expect(applied(applied(null, p!), c!)).toEqual({
      ...PLACED_VIEW,
      status: 'CONFIRMED',
      paymentStatus: 'AUTHORIZED',
      paymentId: 'pay-1',
      timeline: [
        { type: 'PLACED', at: iso(0) },
        { type: 'CONFIRMED', at: iso(1) },
      ],
      version: 2,
      updatedAt: iso(1),
    });
  });

  it('OrderPaymentCaptured: payment CAPTURED, status stays CONFIRMED', () => {
    const view = foldOrderView(history(placed, confirmed, captured));
    expect(view).toMatchObject({
      status: 'CONFIRMED',
      paymentStatus: 'CAPTURED',
      version: 3,
      updatedAt: iso(2),
    });
    expect(view!.timeline.map((e) => e.type)).toEqual(['PLACED', 'CONFIRMED', 'PAYMENT_CAPTURED']);
  });

  it('OrderCancelled with a detail: CANCELLED, reason and detail, the timeline says both', () => {
    const view = foldOrderView(history(placed, cancelled('card expired')));
    expect(view).toEqual({
      ...PLACED_VIEW,
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_DECLINED',
      cancellationDetail: 'card expired',
      timeline: [
        { type: 'PLACED', at: iso(0) },
        { type: 'CANCELLED', at: iso(1), detail: 'PAYMENT_DECLINED: card expired' },
      ],
      version: 2,
      updatedAt: iso(1),
    });
  });

  it('OrderCancelled without a detail: the reason alone', () => {
    const view = foldOrderView(history(placed, cancelled()));
    expect(view).toMatchObject({ cancellationReason: 'PAYMENT_DECLINED', cancellationDetail: null });
    expect(view!.timeline[1]).toEqual({ type: 'CANCELLED', at: iso(1), detail: 'PAYMENT_DECLINED' });
  });

  it('OrderPaymentVoided and OrderPaymentRefunded on a cancelled order; the cancellation is kept', () => {
    // A cancelled order whose authorization is voided, then a late capture refunded.
    const cancelledHistory = history(placed, cancelled('no stock'), voided, refunded);
    const view = foldOrderView(cancelledHistory);
    expect(view).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      paymentId: 'pay-9',
      cancellationReason: 'PAYMENT_DECLINED',
      cancellationDetail: 'no stock',
      version: 4,
      updatedAt: iso(3),
    });
    expect(view!.timeline).toEqual([
      { type: 'PLACED', at: iso(0) },
      { type: 'CANCELLED', at: iso(1), detail: 'PAYMENT_DECLINED: no stock' },
      { type: 'PAYMENT_VOIDED', at: iso(2) },
      { type: 'PAYMENT_REFUNDED', at: iso(3) },
    ]);
  });

  it('status, payment and cancellation always equal the aggregate state after the same events', () => {
    const events = history(placed, cancelled('x'), voided, refunded);
    const state = events.reduce<OrderState>((s, e) => evolveOrder(s, e.event), initialOrderState);
    const view = foldOrderView(events)!;
    expect(state).toMatchObject({
      status: view.status,
      paymentStatus: view.paymentStatus,
      paymentId: view.paymentId,
      cancellation: { reason: view.cancellationReason, detail: view.cancellationDetail },
      totalCents: view.totalCents,
      lines: view.lines,
    });
  });

  it('ignores an event at or below the view version, returning the view unchanged', () => {
    const events = history(placed, confirmed, captured);
    const view = foldOrderView(events)!;
    for (const event of events) expect(applyOrderEvent(view, event)).toEqual({ outcome: 'ignored', view });
  });

  it('reports a gap (and changes nothing) when the next version is missing', () => {
    const [p, , c] = history(placed, confirmed, captured);
    const view = applied(null, p!);
    expect(applyOrderEvent(view, c!)).toEqual({ outcome: 'gap', view, expectedVersion: 2 });
    expect(applyOrderEvent(null, c!)).toEqual({ outcome: 'gap', view: null, expectedVersion: 1 });
  });

  it('normalizes times carried with an offset to UTC milliseconds, as Postgres gives them back', () => {
    const [p] = history(placed);
    const shifted = {
      ...p!,
      event: { ...p!.event, payload: { ...p!.event.payload, placedAt: '2026-11-21T11:00:00+01:00' } },
    };
    expect(applied(null, shifted as VersionedOrderEvent)).toMatchObject({
      placedAt: '2026-11-21T10:00:00.000Z',
      timeline: [{ type: 'PLACED', at: '2026-11-21T10:00:00.000Z' }],
    });
  });

  it('refuses corrupt streams: a first event that is not OrderPlaced, a second OrderPlaced, another order, bad versions', () => {
    const [p, c] = history(placed, confirmed);
    expect(() => applyOrderEvent(null, { version: 1, event: c!.event })).toThrow(CorruptOrderStream);
    const view = applied(null, p!);
    expect(() => applyOrderEvent(view, { version: 2, event: p!.event })).toThrow(CorruptOrderStream);
    const other = { ...c!.event, payload: { ...c!.event.payload, orderId: 'another' } } as OrderEvent;
    expect(() => applyOrderEvent(view, { version: 2, event: other })).toThrow(CorruptOrderStream);
    expect(() => applyOrderEvent(view, { version: 0, event: c!.event })).toThrow(CorruptOrderStream);
    expect(() => applyOrderEvent(view, { version: 2.5, event: c!.event })).toThrow(CorruptOrderStream);
  });

  it('does not share arrays with the previous view (views are values)', () => {
    const [p, c] = history(placed, confirmed);
    const first = applied(null, p!);
    const snapshot = structuredClone(first);
    applied(first, c!);
    expect(first).toEqual(snapshot);
  });
});

describe('foldOrderView', () => {
  const events = history(placed, confirmed, captured);
  const expected = foldOrderView(events);

  it('returns null for no events and folds from a given view', () => {
    expect(foldOrderView([])).toBeNull();
    expect(foldOrderView(events.slice(1), foldOrderView(events.slice(0, 1)))).toEqual(expected);
  });

  it('gives the same view for every order of delivery with every event duplicated', () => {
    const doubled = [...events, ...events];
    for (const permutation of permutations(doubled)) expect(foldOrderView(permutation)).toEqual(expected);
  });

  it('applied one by one (the live path), duplicates at or below the version never change the view', () => {
    // Each event is followed by redeliveries of itself and all earlier ones, in reverse.
    let view: OrderView | null = null;
    events.forEach((event, i) => {
      view = applied(view, event);
      for (const old of events.slice(0, i + 1).reverse()) {
        const result = applyOrderEvent(view, old);
        expect(result).toEqual({ outcome: 'ignored', view });
      }
    });
    expect(view).toEqual(expected);
  });

  it('is deterministic: the same events give equal views through a JSON round trip', () => {
    const again = foldOrderView(JSON.parse(JSON.stringify(events)) as VersionedOrderEvent[]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(expected));
  });

  it('throws when a version is missing rather than return a view that skipped it', () => {
    expect(() => foldOrderView([events[0]!, events[2]!])).toThrow(/version 2 is missing/);
  });
});

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i]!, ...tail];
  }
}
