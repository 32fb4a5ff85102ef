/**
 * The one adapter between the saga's plain messages (src/domain/saga-messages.ts)
 * and the platform's contracts: commands out as envelopes for the outbox,
 * replies in as SagaInputs. ScheduleTimeout is no message: the saga row keeps
 * the armed timer (see saga-store.ts).
 */
import {
  AuthorizePaymentV1,
  CapturePaymentV1,
  CommitStockV1,
  INVENTORY_COMMANDS,
  INVENTORY_EVENTS,
  PAYMENT_COMMANDS,
  PAYMENT_EVENTS,
  RefundPaymentV1,
  ReleaseStockV1,
  ReserveStockV1,
  VoidPaymentV1,
  type InventoryEvent,
  type MessageEnvelope,
  type PaymentEvent,
} from '@shop/contracts';
import type { SagaCommand, SagaReply, ScheduleTimeout } from '../domain';

export const SOURCE = 'order';

/** The messages the saga sends and receives, for the service's registry. */
export const SAGA_MESSAGES = [
  ...INVENTORY_COMMANDS,
  ...PAYMENT_COMMANDS,
  ...INVENTORY_EVENTS,
  ...PAYMENT_EVENTS,
] as const;

/** Correlation of the order's flow and the message that caused the commands (null: the placement). */
export interface Causation {
  correlationId: string;
  causationId: string | null;
}

/** The saga's commands as contract envelopes (timers left out), keyed by order id. */
export function commandEnvelopes(commands: readonly SagaCommand[], causation: Causation): MessageEnvelope[] {
  return commands.flatMap((command) =>
    command.type === 'ScheduleTimeout' ? [] : [commandEnvelope(command, causation)],
  );
}

function commandEnvelope(
  command: Exclude<SagaCommand, ScheduleTimeout>,
  causation: Causation,
): MessageEnvelope {
  // Commands carry no aggregate version of their own (0); the key is the order id.
  const base = { source: SOURCE, aggregateId: command.orderId, aggregateVersion: 0, ...causation };
  switch (command.type) {
    case 'ReserveStock':
      return ReserveStockV1.create({ ...base, payload: { orderId: command.orderId, items: command.items } });
    case 'ReleaseStock':
      return ReleaseStockV1.create({
        ...base,
        payload: { orderId: command.orderId, reservationId: command.reservationId },
      });
    case 'CommitStock':
      return CommitStockV1.create({
        ...base,
        payload: { orderId: command.orderId, reservationId: command.reservationId },
      });
    case 'AuthorizePayment': {
      const { orderId, amountCents, currency, paymentToken } = command;
      return AuthorizePaymentV1.create({
        ...base,
        payload: { orderId, amountCents, currency, paymentToken },
      });
    }
    case 'CapturePayment': {
      const { orderId, paymentId, amountCents, currency } = command;
      return CapturePaymentV1.create({ ...base, payload: { orderId, paymentId, amountCents, currency } });
    }
    case 'VoidPayment':
      return VoidPaymentV1.create({
        ...base,
        payload: { orderId: command.orderId, paymentId: command.paymentId },
      });
    case 'RefundPayment': {
      const { orderId, paymentId, amountCents, currency } = command;
      return RefundPaymentV1.create({ ...base, payload: { orderId, paymentId, amountCents, currency } });
    }
  }
}

/** An inventory or payment reply as the saga's input; null for messages the saga does not wait for (StockCommitted). */
export function sagaReplyOf(message: InventoryEvent | PaymentEvent): SagaReply | null {
  const base = { messageId: message.id, orderId: message.payload.orderId };
  switch (message.type) {
    case 'StockReserved':
      return { ...base, type: 'StockReserved', reservationId: message.payload.reservationId };
    case 'StockReservationFailed':
      return { ...base, type: 'StockReservationFailed', reason: message.payload.reason };
    case 'StockReleased':
      return { ...base, type: 'StockReleased' };
    case 'StockReleaseFailed':
      return { ...base, type: 'StockReleaseFailed', reason: message.payload.reason };
    case 'StockCommitted':
      return null;
    case 'PaymentAuthorized':
      return { ...base, type: 'PaymentAuthorized', paymentId: message.payload.paymentId };
    case 'PaymentDeclined':
      return { ...base, type: 'PaymentDeclined', reason: message.payload.reason };
    case 'PaymentCaptured':
      return { ...base, type: 'PaymentCaptured', paymentId: message.payload.paymentId };
    case 'PaymentCaptureFailed':
      return { ...base, type: 'PaymentCaptureFailed', reason: message.payload.reason };
    case 'PaymentVoided':
      return { ...base, type: 'PaymentVoided' };
    case 'PaymentVoidFailed':
      return { ...base, type: 'PaymentVoidFailed', reason: message.payload.reason };
    case 'PaymentRefunded':
      return { ...base, type: 'PaymentRefunded' };
    case 'PaymentRefundFailed':
      return { ...base, type: 'PaymentRefundFailed', reason: message.payload.reason };
  }
}
