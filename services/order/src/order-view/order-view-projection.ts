/**
 * The order read model (CQRS query side) as a pure fold: no I/O, no clock.
 * Every time in the view comes from the events themselves (placedAt,
 * confirmedAt, cancelledAt, recordedAt), so the same events always give the
 * same view: a view rebuilt from the event store equals the one the live
 * projection built from Kafka, field for field.
 *
 * Status, payment and cancellation come from the aggregate's own fold
 * (`evolveOrder`), so the read model can never disagree with the write
 * model on what an event means; the view adds the timeline and its version.
 */
import {
  evolveOrder,
  type CancellationReason,
  type Order,
  type OrderEvent,
  type OrderLine,
  type OrderStatus,
  type PaymentStatus,
} from '../domain';

export const TIMELINE_ENTRY_TYPES = [
  'PLACED',
  'CONFIRMED',
  'CANCELLED',
  'PAYMENT_CAPTURED',
  'PAYMENT_VOIDED',
  'PAYMENT_REFUNDED',
] as const;
export type TimelineEntryType = (typeof TIMELINE_ENTRY_TYPES)[number];

export interface TimelineEntry {
  type: TimelineEntryType;
  /** ISO time carried by the event. */
  at: string;
  /** Cancellations: the reason code, then the free-text detail if any (`PAYMENT_DECLINED: card expired`). */
  detail?: string;
}

/** What GET /orders/:id answers (plain JSON: it is cached as it is). */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLine[];
  currency: string;
  totalCents: number;
  paymentStatus: PaymentStatus;
  paymentId: string | null;
  cancellationReason: CancellationReason | null;
  cancellationDetail: string | null;
  timeline: TimelineEntry[];
  /** The order stream's version this view includes (= the number of events folded). */
  version: number;
  placedAt: string;
  /** Time of the latest event folded. */
  updatedAt: string;
}

/** A domain event with its version in the order's stream (event store `version`, envelope `aggregateVersion`). */
export interface VersionedOrderEvent {
  version: number;
  event: OrderEvent;
}

/**
 * - applied: the event was the next one; `view` includes it;
 * - ignored: at or below the view's version (a duplicate or a stale
 *   redelivery); `view` is unchanged;
 * - gap: events between the view and this one are missing; `view` is
 *   unchanged and the caller must refold from the event store.
 */
export type ProjectionOutcome =
  | { outcome: 'applied'; view: OrderView }
  | { outcome: 'ignored'; view: OrderView | null }
  | { outcome: 'gap'; view: OrderView | null; expectedVersion: number };

/** The event at `version` claims to be something no order stream can hold. */
export class CorruptOrderStream extends Error {
  constructor(
    readonly orderId: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'CorruptOrderStream';
  }
}

/** Folds one event into the view (null = nothing known of the order yet). */
export function applyOrderEvent(
  view: OrderView | null,
  { version, event }: VersionedOrderEvent,
): ProjectionOutcome {
  if (!Number.isSafeInteger(version) || version < 1)
    throw new CorruptOrderStream(view?.id ?? null, `event version ${version} is not a positive integer`);
  const current = view?.version ?? 0;
  if (version <= current) return { outcome: 'ignored', view };
  if (version !== current + 1) return { outcome: 'gap', view, expectedVersion: current + 1 };
  if ((version === 1) !== (event.type === 'OrderPlaced'))
    throw new CorruptOrderStream(
      view?.id ?? event.payload.orderId,
      `version ${version} of order ${event.payload.orderId} is ${event.type}; only version 1 is OrderPlaced`,
    );
  if (view && event.payload.orderId !== view.id)
    throw new CorruptOrderStream(
      view.id,
      `event of order ${event.payload.orderId} in order ${view.id}'s stream`,
    );

  const order = evolveOrder(view ? orderOf(view) : { status: 'NONE' }, event) as Order;
  const entry = timelineEntry(event);
  return {
    outcome: 'applied',
    view: {
      id: order.id,
      customerId: order.customerId,
      status: order.status,
      lines: order.lines.map((line) => ({ ...line })),
      currency: order.currency,
      totalCents: order.totalCents,
      paymentStatus: order.paymentStatus,
      paymentId: order.paymentId,
      cancellationReason: order.cancellation?.reason ?? null,
      cancellationDetail: order.cancellation?.detail ?? null,
      timeline: [...(view?.timeline ?? []), entry],
      version,
      placedAt: isoTime(order.placedAt),
      updatedAt: entry.at,
    },
  };
}

/**
 * The view of a whole stream (or any bag of its events): sorted by version,
 * duplicates ignored. Throws if a version is missing (a stream has no holes),
 * so a refold never returns a view that silently skipped an event.
 */
export function foldOrderView(
  events: readonly VersionedOrderEvent[],
  from: OrderView | null = null,
): OrderView | null {
  let view = from;
  for (const event of [...events].sort((a, b) => a.version - b.version)) {
    const result = applyOrderEvent(view, event);
    if (result.outcome === 'gap')
      throw new CorruptOrderStream(
        view?.id ?? event.event.payload.orderId,
        `order ${event.event.payload.orderId}: version ${result.expectedVersion} is missing before ${event.version}`,
      );
    view = result.view;
  }
  return view;
}

/** The aggregate state the view stands for (placedAt and the cancellation time come back from the view). */
function orderOf(view: OrderView): Order {
  const cancelled = view.timeline.findLast((entry) => entry.type === 'CANCELLED');
  return {
    id: view.id,
    customerId: view.customerId,
    lines: view.lines,
    currency: view.currency,
    totalCents: view.totalCents,
    status: view.status,
    placedAt: view.placedAt,
    cancellation:
      view.cancellationReason === null
        ? null
        : {
            reason: view.cancellationReason,
            ...(view.cancellationDetail !== null && { detail: view.cancellationDetail }),
            cancelledAt: cancelled?.at ?? view.updatedAt,
          },
    paymentStatus: view.paymentStatus,
    paymentId: view.paymentId,
  };
}

function timelineEntry(event: OrderEvent): TimelineEntry {
  switch (event.type) {
    case 'OrderPlaced':
      return { type: 'PLACED', at: isoTime(event.payload.placedAt) };
    case 'OrderConfirmed':
      return { type: 'CONFIRMED', at: isoTime(event.payload.confirmedAt) };
    case 'OrderCancelled': {
      const { reason, detail, cancelledAt } = event.payload;
      return {
        type: 'CANCELLED',
        at: isoTime(cancelledAt),
        detail: detail ? `${reason}: ${detail}` : reason,
      };
    }
    case 'OrderPaymentCaptured':
      return { type: 'PAYMENT_CAPTURED', at: isoTime(event.payload.recordedAt) };
    case 'OrderPaymentVoided':
      return { type: 'PAYMENT_VOIDED', at: isoTime(event.payload.recordedAt) };
    case 'OrderPaymentRefunded':
      return { type: 'PAYMENT_REFUNDED', at: isoTime(event.payload.recordedAt) };
  }
}

/** One spelling per instant (`+02:00` offsets and `Z` alike become UTC with milliseconds), as Postgres returns it. */
function isoTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new CorruptOrderStream(null, `'${value}' is not a time`);
  return time.toISOString();
}
