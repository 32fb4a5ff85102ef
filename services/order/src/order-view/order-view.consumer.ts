import { Inject, Injectable } from '@nestjs/common';
import {
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPaymentCapturedV1,
  OrderPaymentRefundedV1,
  OrderPaymentVoidedV1,
  OrderPlacedV1,
  type OrderIntegrationEvent,
} from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { OrderDatabase } from '../infrastructure/order-database';
import { OrderViewCache } from './order-view-cache';
import { OrderViewUpdater } from './order-view-updater';

/** The view's consumer group on order.events (add it to the MessagingModule's `consumers`). */
export const ORDER_VIEW_GROUP = 'order-view';
const group = { group: ORDER_VIEW_GROUP };

/**
 * The live projection: each order.events message is applied to the view in
 * one transaction with its inbox row (handleOnce), then the order's cache
 * entries are dropped. The invalidation runs after the commit for a
 * duplicate too (an earlier attempt may have committed and then failed to
 * reach Redis); a Redis failure throws, so the consumer retries the message,
 * whose inbox row makes the retry an invalidation only.
 */
@Injectable()
export class OrderViewConsumer {
  constructor(
    @Inject(OrderDatabase) private readonly database: OrderDatabase,
    @Inject(OrderViewUpdater) private readonly updater: OrderViewUpdater,
    @Inject(OrderViewCache) private readonly cache: OrderViewCache,
  ) {}

  @HandleMessage(OrderPlacedV1, group)
  onPlaced(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    return this.project(event, context);
  }

  @HandleMessage(OrderConfirmedV1, group)
  onConfirmed(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    return this.project(event, context);
  }

  @HandleMessage(OrderCancelledV1, group)
  onCancelled(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    return this.project(event, context);
  }

  @HandleMessage(OrderPaymentCapturedV1, group)
  onPaymentCaptured(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    return this.project(event, context);
  }

  @HandleMessage(OrderPaymentVoidedV1, group)
  onPaymentVoided(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    return this.project(event, context);
  }

  @HandleMessage(OrderPaymentRefundedV1, group)
  onPaymentRefunded(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    return this.project(event, context);
  }

  private async project(event: OrderIntegrationEvent, context: MessageContext): Promise<void> {
    await handleOnce(this.database.sql, context.groupId, event, async (tx) => {
      await this.updater.apply(tx, event);
    });
    await this.cache.invalidate(event.aggregateId, event.payload.customerId);
  }
}
