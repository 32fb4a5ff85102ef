/**
 * The event-sourced Order on the event store, and its events on
 * `order.events`: every save appends the domain events and, in the append's
 * transaction (outbox hook), writes the matching integration events
 * (domain payload + customerId) with the event id as message id.
 */
import {
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPaymentCapturedV1,
  OrderPaymentRefundedV1,
  OrderPaymentVoidedV1,
  OrderPlacedV1,
  type MessageEnvelope,
} from '@shop/contracts';
import { AggregateRepository, type Aggregate, type EventStore, type StoredEvent } from '@shop/event-store';
import type { OutboxWriter } from '@shop/messaging';
import type { SqlExecutor } from '@shop/persistence';
import { evolveOrder, initialOrderState, type OrderEvent, type OrderState } from '../domain';

export const ORDER_STREAM_TYPE = 'order';
const SOURCE = 'order';

export type OrderRepository = AggregateRepository<OrderState, OrderEvent>;

export function orderRepository(store: EventStore): OrderRepository {
  return new AggregateRepository<OrderState, OrderEvent>(store, {
    streamType: ORDER_STREAM_TYPE,
    initialState: initialOrderState,
    evolve: evolveOrder,
    snapshotEvery: 50,
  });
}

/** What every integration event repeats from the order (it never changes after placement). */
export interface OrderFacts {
  customerId: string;
  currency: string;
  totalCents: number;
}

export interface OrderFlow {
  correlationId: string;
  /** The message that caused the change; absent for the placement. */
  causationId?: string;
}

/**
 * Appends `events` to the order's stream inside `tx` (append last: it takes
 * the event store's lock) with their integration events in the outbox.
 */
export async function saveOrder(
  orders: OrderRepository,
  outbox: OutboxWriter,
  tx: SqlExecutor,
  aggregate: Aggregate<OrderState>,
  events: readonly OrderEvent[],
  flow: OrderFlow,
): Promise<void> {
  if (events.length === 0) return;
  const facts = factsOf(aggregate.state, events);
  await orders.save(aggregate, events, {
    tx,
    metadata: { ...flow },
    withinTransaction: (inner, stored) =>
      outbox.enqueue(
        inner,
        stored.map((e) => integrationEvent(e, facts)),
      ),
  });
}

function factsOf(state: OrderState, events: readonly OrderEvent[]): OrderFacts {
  const placed = events.find((e) => e.type === 'OrderPlaced');
  const source = placed ? placed.payload : state.status === 'NONE' ? null : state;
  if (!source) throw new Error('an order event for an order that was never placed');
  return { customerId: source.customerId, currency: source.currency, totalCents: source.totalCents };
}

/** A stored order event as its `order.events` message. */
export function integrationEvent(event: StoredEvent, facts: OrderFacts): MessageEnvelope {
  const e = { type: event.type, payload: event.payload } as OrderEvent;
  const { correlationId, causationId } = event.metadata;
  const base = {
    id: event.eventId,
    source: SOURCE,
    occurredAt: event.occurredAt,
    aggregateId: e.payload.orderId,
    aggregateVersion: event.version,
    correlationId: typeof correlationId === 'string' ? correlationId : undefined,
    causationId: typeof causationId === 'string' ? causationId : null,
  };
  const { customerId } = facts;
  switch (e.type) {
    case 'OrderPlaced':
      return OrderPlacedV1.create({ ...base, payload: e.payload });
    case 'OrderConfirmed':
      return OrderConfirmedV1.create({
        ...base,
        payload: { ...e.payload, customerId, currency: facts.currency, totalCents: facts.totalCents },
      });
    case 'OrderCancelled':
      return OrderCancelledV1.create({ ...base, payload: { ...e.payload, customerId } });
    case 'OrderPaymentCaptured':
      return OrderPaymentCapturedV1.create({ ...base, payload: { ...e.payload, customerId } });
    case 'OrderPaymentVoided':
      return OrderPaymentVoidedV1.create({ ...base, payload: { ...e.payload, customerId } });
    case 'OrderPaymentRefunded':
      return OrderPaymentRefundedV1.create({ ...base, payload: { ...e.payload, customerId } });
  }
}
