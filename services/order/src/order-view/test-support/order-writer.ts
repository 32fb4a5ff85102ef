/**
 * The command side as the view's tests need it: decisions of the Order
 * aggregate appended to the event store (as the service's repository does)
 * and the matching `order.events` messages built with the service's own
 * mapping, for the test to publish (or not) as it likes.
 */
import { randomUUID } from 'node:crypto';
import type { MessageEnvelope } from '@shop/contracts';
import type { EventStore } from '@shop/event-store';
import {
  cancelOrder,
  confirmOrder,
  placeOrder,
  recordPaymentOutcome,
  type CancellationReason,
  type Order,
  type OrderEvent,
  type OrderState,
  type PaymentOutcome,
  type PricedProduct,
} from '../../domain';
import { integrationEvent, orderRepository, type OrderRepository } from '../../shared/order-stream';

export const MUG: PricedProduct = {
  productId: '0190a000-0000-7000-8000-00000000a001',
  sku: 'MUG-1',
  name: 'Mug',
  priceCents: 1250,
  currency: 'EUR',
  status: 'active',
};
export const TEA: PricedProduct = {
  productId: '0190a000-0000-7000-8000-00000000a002',
  sku: 'TEA-1',
  name: 'Tea',
  priceCents: 399,
  currency: 'EUR',
  status: 'active',
};
const BOOK = new Map([MUG, TEA].map((p) => [p.productId, p]));

export class OrderWriter {
  readonly orders: OrderRepository;
  private clock = Date.UTC(2026, 10, 21, 9, 0, 0);

  constructor(store: EventStore) {
    this.orders = orderRepository(store);
  }

  /** Distinct, increasing event times (one minute apart), so timelines and ordering are checkable. */
  private tick(): Date {
    this.clock += 60_000;
    return new Date(this.clock);
  }

  place(
    customerId: string,
    quantities: { mug?: number; tea?: number } = { mug: 2, tea: 1 },
    orderId = randomUUID(),
  ) {
    const items = [
      ...(quantities.mug ? [{ productId: MUG.productId, quantity: quantities.mug }] : []),
      ...(quantities.tea ? [{ productId: TEA.productId, quantity: quantities.tea }] : []),
    ];
    return this.decide(orderId, () => placeOrder({ orderId, customerId, items }, BOOK, this.tick()));
  }

  confirm(orderId: string, paymentId = `pay-${orderId.slice(0, 8)}`) {
    return this.decide(orderId, (s) => confirmOrder(s, paymentId, this.tick()));
  }

  cancel(orderId: string, reason: CancellationReason, detail?: string) {
    return this.decide(orderId, (s) => cancelOrder(s, reason, this.tick(), detail));
  }

  payment(orderId: string, outcome: PaymentOutcome, paymentId = `pay-${orderId.slice(0, 8)}`) {
    return this.decide(orderId, (s) => recordPaymentOutcome(s, outcome, paymentId, this.tick()));
  }

  /** Appends the decision's events; returns the order id and the messages the outbox would publish. */
  async decide(
    orderId: string,
    decision: (state: OrderState) => OrderEvent[],
  ): Promise<{ orderId: string; messages: MessageEnvelope[] }> {
    const { aggregate, events } = await this.orders.execute(orderId, decision);
    const order = aggregate.state as Order;
    const facts = { customerId: order.customerId, currency: order.currency, totalCents: order.totalCents };
    return { orderId, messages: events.map((e) => integrationEvent(e, facts)) };
  }
}
