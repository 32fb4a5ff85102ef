import type { OrderIntegrationEvent } from '@shop/contracts';
import type { EventStore, StoredEvent } from '@shop/event-store';
import type { SqlExecutor } from '@shop/persistence';
import type { OrderEvent } from '../domain';
import { ORDER_STREAM_TYPE } from '../shared/order-stream';
import { lockForProjection } from './order-view-locks';
import {
  applyOrderEvent,
  foldOrderView,
  type OrderView,
  type VersionedOrderEvent,
} from './order-view-projection';
import { findOrderView, saveOrderViews } from './order-view-table';

/** What one message did to the view. */
export type ViewUpdate = 'applied' | 'ignored' | 'refolded';

export const orderStreamId = (orderId: string): string => `${ORDER_STREAM_TYPE}-${orderId}`;

/** An event of the order's stream as the projector takes it. */
export function versionedFromStored(event: StoredEvent): VersionedOrderEvent {
  return { version: event.version, event: { type: event.type, payload: event.payload } as OrderEvent };
}

/**
 * An `order.events` message as the domain event it was made from: the
 * contract adds `customerId` (and, on OrderConfirmed, currency and total),
 * which the view takes from OrderPlaced. Picking the domain fields keeps the
 * live fold identical to the fold of the stored events.
 */
export function versionedFromMessage(message: OrderIntegrationEvent): VersionedOrderEvent {
  const version = message.aggregateVersion;
  switch (message.type) {
    case 'OrderPlaced': {
      const { orderId, customerId, lines, currency, totalCents, placedAt } = message.payload;
      return {
        version,
        event: {
          type: message.type,
          payload: { orderId, customerId, lines, currency, totalCents, placedAt },
        },
      };
    }
    case 'OrderConfirmed': {
      const { orderId, paymentId, confirmedAt } = message.payload;
      return { version, event: { type: message.type, payload: { orderId, paymentId, confirmedAt } } };
    }
    case 'OrderCancelled': {
      const { orderId, reason, detail, cancelledAt } = message.payload;
      const payload = { orderId, reason, cancelledAt };
      return {
        version,
        event: { type: message.type, payload: detail === undefined ? payload : { ...payload, detail } },
      };
    }
    case 'OrderPaymentCaptured':
    case 'OrderPaymentVoided':
    case 'OrderPaymentRefunded': {
      const { orderId, paymentId, recordedAt } = message.payload;
      return { version, event: { type: message.type, payload: { orderId, paymentId, recordedAt } } };
    }
  }
}

/**
 * Applies one `order.events` message to `order_views` inside the caller's
 * (inbox) transaction:
 * - the next version (view.version + 1): folded in;
 * - at or below the view's version: ignored (duplicate, stale redelivery);
 * - further ahead (a message lost or dead-lettered before this one): the
 *   missing events are read from the event store, in the same transaction,
 *   and folded with this one, so the view never skips an event.
 */
export class OrderViewUpdater {
  constructor(private readonly store: EventStore) {}

  async apply(tx: SqlExecutor, message: OrderIntegrationEvent): Promise<ViewUpdate> {
    const orderId = message.aggregateId;
    await lockForProjection(tx, orderId);
    const view = await findOrderView(tx, orderId);
    const result = applyOrderEvent(view, versionedFromMessage(message));
    if (result.outcome === 'ignored') return 'ignored';
    if (result.outcome === 'applied') {
      await saveOrderViews(tx, [result.view]);
      return 'applied';
    }
    await saveOrderViews(tx, [await this.refold(tx, orderId, view, message.aggregateVersion)]);
    return 'refolded';
  }

  private async refold(
    tx: SqlExecutor,
    orderId: string,
    view: OrderView | null,
    atLeastVersion: number,
  ): Promise<OrderView> {
    const missing = await this.store.load(orderStreamId(orderId), {
      fromVersion: (view?.version ?? 0) + 1,
      tx,
    });
    const refolded = foldOrderView(missing.map(versionedFromStored), view);
    // The message was published after its event committed, so the store has it; if not, retry later.
    if (!refolded || refolded.version < atLeastVersion)
      throw new Error(
        `order ${orderId}: the event store is at version ${refolded?.version ?? 0}, the message at ${atLeastVersion}`,
      );
    return refolded;
  }
}
