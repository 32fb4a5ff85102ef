import { z } from 'zod';
import { defineMessage, type MessageOf } from '../messages/message-definition';
import { TOPICS } from '../topics';

const uuid = z.uuid();
const isoTime = z.iso.datetime({ offset: true });
const currency = z.string().regex(/^[A-Z]{3}$/);
const cents = z.number().int().nonnegative();

/** Why an order was cancelled; the order service's domain keeps the same list (a unit test holds them equal). */
export const ORDER_CANCELLATION_REASONS = [
  'OUT_OF_STOCK',
  'STOCK_RESERVATION_TIMED_OUT',
  'PAYMENT_DECLINED',
  'PAYMENT_TIMED_OUT',
  'CUSTOMER_REQUEST',
] as const;
export type OrderCancellationReason = (typeof ORDER_CANCELLATION_REASONS)[number];

export const OrderLineSchema = z.object({
  productId: uuid,
  sku: z.string().min(1),
  name: z.string().min(1),
  unitPriceCents: z.number().int().positive(),
  quantity: z.number().int().positive(),
  lineTotalCents: z.number().int().positive(),
});
export type OrderLinePayload = z.infer<typeof OrderLineSchema>;

/**
 * The order service's integration events on `order.events`, keyed by
 * orderId; aggregateVersion is the order stream's version. They are the
 * event-sourced Order's events plus `customerId` on every one, so consumers
 * (notification, projections elsewhere) need no other lookup. The payment
 * token never appears here.
 */
export const OrderPlacedV1 = defineMessage({
  type: 'OrderPlaced',
  version: 1,
  topic: TOPICS.orderEvents.name,
  schema: z.object({
    orderId: uuid,
    customerId: z.string().min(1),
    lines: z.array(OrderLineSchema).min(1),
    currency,
    totalCents: cents,
    placedAt: isoTime,
  }),
});

export const OrderConfirmedV1 = defineMessage({
  type: 'OrderConfirmed',
  version: 1,
  topic: TOPICS.orderEvents.name,
  schema: z.object({
    orderId: uuid,
    customerId: z.string().min(1),
    paymentId: z.string().min(1),
    currency,
    totalCents: cents,
    confirmedAt: isoTime,
  }),
});

export const OrderCancelledV1 = defineMessage({
  type: 'OrderCancelled',
  version: 1,
  topic: TOPICS.orderEvents.name,
  schema: z.object({
    orderId: uuid,
    customerId: z.string().min(1),
    reason: z.enum(ORDER_CANCELLATION_REASONS),
    detail: z.string().optional(),
    cancelledAt: isoTime,
  }),
});

const paymentRecorded = z.object({
  orderId: uuid,
  customerId: z.string().min(1),
  paymentId: z.string().min(1),
  recordedAt: isoTime,
});

/** The order learned its payment was captured (after confirmation). */
export const OrderPaymentCapturedV1 = defineMessage({
  type: 'OrderPaymentCaptured',
  version: 1,
  topic: TOPICS.orderEvents.name,
  schema: paymentRecorded,
});
/** The authorization of a cancelled order was voided. */
export const OrderPaymentVoidedV1 = defineMessage({
  type: 'OrderPaymentVoided',
  version: 1,
  topic: TOPICS.orderEvents.name,
  schema: paymentRecorded,
});
/** A capture of a cancelled order (a late one) was refunded. */
export const OrderPaymentRefundedV1 = defineMessage({
  type: 'OrderPaymentRefunded',
  version: 1,
  topic: TOPICS.orderEvents.name,
  schema: paymentRecorded,
});

export const ORDER_EVENTS = [
  OrderPlacedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
  OrderPaymentCapturedV1,
  OrderPaymentVoidedV1,
  OrderPaymentRefundedV1,
] as const;

export type OrderPlacedEvent = MessageOf<typeof OrderPlacedV1>;
export type OrderConfirmedEvent = MessageOf<typeof OrderConfirmedV1>;
export type OrderCancelledEvent = MessageOf<typeof OrderCancelledV1>;
export type OrderPaymentRecordedEvent =
  | MessageOf<typeof OrderPaymentCapturedV1>
  | MessageOf<typeof OrderPaymentVoidedV1>
  | MessageOf<typeof OrderPaymentRefundedV1>;
export type OrderIntegrationEvent =
  OrderPlacedEvent | OrderConfirmedEvent | OrderCancelledEvent | OrderPaymentRecordedEvent;
