import { Inject, Injectable } from '@nestjs/common';
import type { OrderCancelledEvent, OrderConfirmedEvent, OrderPaymentRecordedEvent } from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { orderOutcomeText, type OrderOutcome } from '../domain/order-outcome-messages';
import { NotificationDatabase } from '../infrastructure/notification-database';
import { NotificationRecorder } from './notification-recorder';

/**
 * Order outcomes from order.events -> one notification per outcome, created
 * with the inbox record in one transaction (handleOnce), so a redelivered
 * event creates nothing. Emails are sent later, after commit, by the
 * delivery worker (email-delivery/).
 */
@Injectable()
export class OrderOutcomeConsumer {
  constructor(
    @Inject(NotificationDatabase) private readonly database: NotificationDatabase,
    @Inject(NotificationRecorder) private readonly recorder: NotificationRecorder,
  ) {}

  @HandleMessage('OrderConfirmed')
  async onConfirmed(event: OrderConfirmedEvent, context: MessageContext): Promise<void> {
    const { orderId, totalCents, currency } = event.payload;
    await this.notify(event, context, { type: 'confirmed', orderId, totalCents, currency });
  }

  @HandleMessage('OrderCancelled')
  async onCancelled(event: OrderCancelledEvent, context: MessageContext): Promise<void> {
    const { orderId, reason } = event.payload;
    await this.notify(event, context, { type: 'cancelled', orderId, reason });
  }

  @HandleMessage('OrderPaymentRefunded')
  async onRefunded(event: OrderPaymentRecordedEvent, context: MessageContext): Promise<void> {
    await this.notify(event, context, { type: 'refunded', orderId: event.payload.orderId });
  }

  private async notify(
    event: OrderConfirmedEvent | OrderCancelledEvent | OrderPaymentRecordedEvent,
    context: MessageContext,
    outcome: OrderOutcome,
  ): Promise<void> {
    await handleOnce(this.database.sql, context.groupId, event, (tx) =>
      this.recorder
        .record(tx, {
          customerId: event.payload.customerId,
          orderId: outcome.orderId,
          text: orderOutcomeText(outcome),
          sourceEventId: event.id,
        })
        .then(() => undefined),
    );
  }
}
