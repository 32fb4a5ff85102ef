/**
 * The Order aggregate, event-sourced: `evolve` folds events into state,
 * the decision functions look at state and return the events to append.
 * Pure: no I/O, no clock (time is passed in). Shaped for
 * `AggregateRepository` of @shop/event-store: `initialOrderState`,
 * `evolveOrder`, events `{ type, payload }` with JSON payloads.
 *
 * Decisions throw typed `OrderDomainError`s (so `repository.execute(id,
 * (s) => confirmOrder(s, paymentId))` simply aborts); a decision that has
 * nothing to do returns `[]` (the idempotent case).
 */

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What the order knows of its payment; the saga reports it. */
export type PaymentStatus = 'NONE' | 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'REFUNDED';

export const CANCELLATION_REASONS = [
  'OUT_OF_STOCK',
  'STOCK_RESERVATION_TIMED_OUT',
  'PAYMENT_DECLINED',
  'PAYMENT_TIMED_OUT',
  'CUSTOMER_REQUEST',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export interface Cancellation {
  reason: CancellationReason;
  detail?: string;
  cancelledAt: string;
}

export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export interface Order {
  id: string;
  customerId: string;
  lines: OrderLine[];
  currency: string;
  totalCents: number;
  status: OrderStatus;
  placedAt: string;
  cancellation: Cancellation | null;
  paymentStatus: PaymentStatus;
  paymentId: string | null;
}

/** Before OrderPlaced. A discriminated union keeps "no order yet" out of Order. */
export interface NoOrder {
  status: 'NONE';
}
export type OrderState = NoOrder | Order;
export const initialOrderState: OrderState = { status: 'NONE' };

// Events: ISO strings for times, so payloads and snapshots are plain JSON.
export interface OrderPlaced {
  type: 'OrderPlaced';
  payload: {
    orderId: string;
    customerId: string;
    lines: OrderLine[];
    currency: string;
    totalCents: number;
    placedAt: string;
  };
}
export interface OrderConfirmed {
  type: 'OrderConfirmed';
  payload: { orderId: string; paymentId: string; confirmedAt: string };
}
export interface OrderCancelled {
  type: 'OrderCancelled';
  payload: { orderId: string; reason: CancellationReason; detail?: string; cancelledAt: string };
}
export interface OrderPaymentRecorded {
  type: 'OrderPaymentCaptured' | 'OrderPaymentVoided' | 'OrderPaymentRefunded';
  payload: { orderId: string; paymentId: string; recordedAt: string };
}
export type OrderEvent = OrderPlaced | OrderConfirmed | OrderCancelled | OrderPaymentRecorded;

/** Base of every refusal; `code` is machine-readable for the HTTP error body. */
export abstract class OrderDomainError extends Error {
  abstract readonly code: string;
}

/** 422: products the replica does not know or that are discontinued, named. */
export class UnavailableProducts extends OrderDomainError {
  readonly code = 'PRODUCTS_UNAVAILABLE';
  constructor(
    readonly unknownProductIds: readonly string[],
    readonly discontinued: readonly { productId: string; sku: string; name: string }[],
  ) {
    const parts = [
      ...(unknownProductIds.length ? [`unknown products: ${unknownProductIds.join(', ')}`] : []),
      ...(discontinued.length
        ? [`discontinued products: ${discontinued.map((p) => `${p.name} (${p.sku})`).join(', ')}`]
        : []),
    ];
    super(parts.join('; '));
    this.name = 'UnavailableProducts';
  }
}

/** 400/422: a command that breaks an order rule; `field` points at the input. */
export class OrderRuleViolation extends OrderDomainError {
  readonly code = 'ORDER_RULE_VIOLATION';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'OrderRuleViolation';
  }
}

/** 409: the order's current state does not allow the change. */
export class OrderStateConflict extends OrderDomainError {
  readonly code = 'ORDER_STATE_CONFLICT';
  constructor(
    readonly status: OrderState['status'],
    message: string,
  ) {
    super(message);
    this.name = 'OrderStateConflict';
  }
}

export const MAX_LINES = 50;
export const MAX_QUANTITY_PER_PRODUCT = 100;
/** Largest total accepted: far below Number.MAX_SAFE_INTEGER, far above any real basket. */
export const MAX_TOTAL_CENTS = 100_000_000_00;

export interface PlaceOrderCommand {
  orderId: string;
  customerId: string;
  items: readonly { productId: string; quantity: number }[];
}

/** The order service's replica of a catalog product (contracts' ProductSnapshot, trimmed). */
export interface PricedProduct {
  productId: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  status: 'active' | 'discontinued';
}

/** The replica lookup for the command's products; a missing key = unknown product. */
export type PriceBook = ReadonlyMap<string, PricedProduct>;

/**
 * Prices the command from the replica and returns OrderPlaced.
 * Lines with the same productId are MERGED (quantities summed, first
 * position kept): "2 mugs" sent as two lines of 1 is still 2 mugs, and the
 * merged quantity is what the max applies to.
 *
 * A second placement of the same order is the adapter's concern: the
 * order id comes with the Idempotency-Key and the append expects
 * 'no-stream', so a replayed request finds the existing order.
 */
export function placeOrder(command: PlaceOrderCommand, priceBook: PriceBook, now: Date): OrderEvent[] {
  const items = mergeItems(command.items);
  const products = requireAvailable(items, priceBook);
  const currencies = [...new Set(products.map((p) => p.currency))];
  if (currencies.length > 1)
    throw new OrderRuleViolation(
      'items',
      `mix currencies (${currencies.join(', ')}); one currency per order`,
    );
  const lines = items.map(({ productId, quantity }, i): OrderLine => {
    const product = products[i]!;
    return {
      productId,
      sku: product.sku,
      name: product.name,
      unitPriceCents: product.priceCents,
      quantity,
      lineTotalCents: product.priceCents * quantity,
    };
  });
  const totalCents = lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
  if (totalCents > MAX_TOTAL_CENTS)
    throw new OrderRuleViolation('items', `total ${totalCents} exceeds ${MAX_TOTAL_CENTS} cents`);
  return [
    {
      type: 'OrderPlaced',
      payload: {
        orderId: command.orderId,
        customerId: command.customerId,
        lines,
        currency: currencies[0]!,
        totalCents,
        placedAt: now.toISOString(),
      },
    },
  ];
}

function mergeItems(items: PlaceOrderCommand['items']): { productId: string; quantity: number }[] {
  if (items.length === 0) throw new OrderRuleViolation('items', 'must contain at least one item');
  const merged = new Map<string, number>();
  items.forEach(({ productId, quantity }, i) => {
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new OrderRuleViolation(`items[${i}].quantity`, 'must be a positive integer');
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  });
  if (merged.size > MAX_LINES)
    throw new OrderRuleViolation('items', `must have at most ${MAX_LINES} products`);
  return [...merged].map(([productId, quantity]) => {
    if (quantity > MAX_QUANTITY_PER_PRODUCT)
      throw new OrderRuleViolation(
        `items[${productId}].quantity`,
        `must be at most ${MAX_QUANTITY_PER_PRODUCT} per product`,
      );
    return { productId, quantity };
  });
}

function requireAvailable(items: readonly { productId: string }[], priceBook: PriceBook): PricedProduct[] {
  const unknown = items.filter((i) => !priceBook.has(i.productId)).map((i) => i.productId);
  const discontinued = items
    .map((i) => priceBook.get(i.productId))
    .filter((p): p is PricedProduct => p?.status === 'discontinued')
    .map(({ productId, sku, name }) => ({ productId, sku, name }));
  if (unknown.length || discontinued.length) throw new UnavailableProducts(unknown, discontinued);
  return items.map((i) => priceBook.get(i.productId)!);
}

/** PENDING -> CONFIRMED once payment is authorized; confirming twice with the same payment is a no-op. */
export function confirmOrder(state: OrderState, paymentId: string, now: Date): OrderEvent[] {
  const order = requireOrder(state);
  if (order.status === 'CONFIRMED' && order.paymentId === paymentId) return [];
  if (order.status !== 'PENDING')
    throw new OrderStateConflict(order.status, `order ${order.id} is ${order.status}, cannot confirm`);
  return [
    { type: 'OrderConfirmed', payload: { orderId: order.id, paymentId, confirmedAt: now.toISOString() } },
  ];
}

/**
 * PENDING -> CANCELLED. Cancelling a cancelled order with the same reason
 * yields nothing (a redelivered cancel); with another reason it is a
 * conflict, so the first reason stays the true one.
 */
export function cancelOrder(
  state: OrderState,
  reason: CancellationReason,
  now: Date,
  detail?: string,
): OrderEvent[] {
  const order = requireOrder(state);
  if (order.status === 'CANCELLED' && order.cancellation?.reason === reason) return [];
  if (order.status !== 'PENDING')
    throw new OrderStateConflict(order.status, `order ${order.id} is ${order.status}, cannot cancel`);
  const payload = { orderId: order.id, reason, cancelledAt: now.toISOString() };
  return [{ type: 'OrderCancelled', payload: detail === undefined ? payload : { ...payload, detail } }];
}

const PAYMENT_EVENTS = {
  CAPTURED: 'OrderPaymentCaptured',
  VOIDED: 'OrderPaymentVoided',
  REFUNDED: 'OrderPaymentRefunded',
} as const;
export type PaymentOutcome = keyof typeof PAYMENT_EVENTS;

/**
 * Records what happened to the payment after the decision: captured (a
 * confirmed order), voided or refunded (a cancelled one). Same outcome
 * twice: no events.
 */
export function recordPaymentOutcome(
  state: OrderState,
  outcome: PaymentOutcome,
  paymentId: string,
  now: Date,
): OrderEvent[] {
  const order = requireOrder(state);
  if (order.paymentStatus === outcome) return [];
  const expected = outcome === 'CAPTURED' ? 'CONFIRMED' : 'CANCELLED';
  if (order.status !== expected)
    throw new OrderStateConflict(
      order.status,
      `order ${order.id} is ${order.status}, cannot record ${outcome}`,
    );
  return [
    {
      type: PAYMENT_EVENTS[outcome],
      payload: { orderId: order.id, paymentId, recordedAt: now.toISOString() },
    },
  ];
}

function requireOrder(state: OrderState): Order {
  if (state.status === 'NONE') throw new OrderStateConflict('NONE', 'order does not exist');
  return state;
}

/** The pure fold. Events come from our own decisions, so an impossible one is a bug: it throws. */
export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, ...placed } = event.payload;
    return {
      id: orderId,
      ...placed,
      status: 'PENDING',
      cancellation: null,
      paymentStatus: 'NONE',
      paymentId: null,
    };
  }
  const order = requireOrder(state);
  switch (event.type) {
    case 'OrderConfirmed':
      return {
        ...order,
        status: 'CONFIRMED',
        paymentStatus: 'AUTHORIZED',
        paymentId: event.payload.paymentId,
      };
    case 'OrderCancelled': {
      const { reason, detail, cancelledAt } = event.payload;
      const cancellation = detail === undefined ? { reason, cancelledAt } : { reason, detail, cancelledAt };
      return { ...order, status: 'CANCELLED', cancellation };
    }
    case 'OrderPaymentCaptured':
      return { ...order, paymentStatus: 'CAPTURED', paymentId: event.payload.paymentId };
    case 'OrderPaymentVoided':
      return { ...order, paymentStatus: 'VOIDED', paymentId: event.payload.paymentId };
    case 'OrderPaymentRefunded':
      return { ...order, paymentStatus: 'REFUNDED', paymentId: event.payload.paymentId };
  }
}
