import { Inject, Injectable } from '@nestjs/common';
import type { InventoryEvent, PaymentEvent } from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import type { Logger } from '@shop/telemetry';
import { ORDER_GROUPS } from '../config';
import { OrderDatabase } from '../infrastructure/order-database';
import { sagaReplyOf } from './saga-contracts';
import { SagaRunner } from './saga-runner';

export const SAGA_LOGGER = Symbol('SAGA_LOGGER');

type Reply = InventoryEvent | PaymentEvent;
const group = ORDER_GROUPS.saga;

/**
 * Inventory's and payment's replies into the saga: each one, once (inbox),
 * in one transaction with everything the saga does about it.
 */
@Injectable()
export class SagaRepliesConsumer {
  constructor(
    @Inject(OrderDatabase) private readonly database: OrderDatabase,
    @Inject(SagaRunner) private readonly runner: SagaRunner,
    @Inject(SAGA_LOGGER) private readonly logger: Logger,
  ) {}

  @HandleMessage('StockReserved', { group })
  onStockReserved(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('StockReservationFailed', { group })
  onStockReservationFailed(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('StockReleased', { group })
  onStockReleased(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('StockReleaseFailed', { group })
  onStockReleaseFailed(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentAuthorized', { group })
  onPaymentAuthorized(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentDeclined', { group })
  onPaymentDeclined(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentCaptured', { group })
  onPaymentCaptured(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentCaptureFailed', { group })
  onPaymentCaptureFailed(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentVoided', { group })
  onPaymentVoided(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentVoidFailed', { group })
  onPaymentVoidFailed(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentRefunded', { group })
  onPaymentRefunded(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  @HandleMessage('PaymentRefundFailed', { group })
  onPaymentRefundFailed(message: Reply, context: MessageContext): Promise<void> {
    return this.reply(message, context);
  }

  private async reply(message: Reply, context: MessageContext): Promise<void> {
    const input = sagaReplyOf(message);
    if (!input) return;
    await handleOnce(this.database.sql, context.groupId, message, async (tx) => {
      const run = await this.runner.run(tx, input.orderId, () => input, { causationId: message.id });
      if (!run)
        this.logger.warn(
          { messageId: message.id, type: message.type, orderId: input.orderId },
          'reply for an unknown order ignored',
        );
    });
  }
}
