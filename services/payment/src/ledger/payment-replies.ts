import {
  causedBy,
  PaymentAuthorizedV1,
  PaymentCapturedV1,
  PaymentCaptureFailedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  PaymentRefundFailedV1,
  PaymentVoidedV1,
  PaymentVoidFailedV1,
  type MessageDefinition,
  type MessageEnvelope,
} from '@shop/contracts';
import type { PaymentReply } from '../domain';

export const SERVICE_NAME = 'payment';

const DEFINITIONS: Record<PaymentReply['type'], MessageDefinition> = {
  PaymentAuthorized: PaymentAuthorizedV1,
  PaymentDeclined: PaymentDeclinedV1,
  PaymentCaptured: PaymentCapturedV1,
  PaymentCaptureFailed: PaymentCaptureFailedV1,
  PaymentVoided: PaymentVoidedV1,
  PaymentVoidFailed: PaymentVoidFailedV1,
  PaymentRefunded: PaymentRefundedV1,
  PaymentRefundFailed: PaymentRefundFailedV1,
};

/** The reply as a payment.events message caused by `command`, keyed by the order id. */
export function replyEnvelope(
  reply: PaymentReply,
  command: MessageEnvelope,
  paymentVersion: number,
): MessageEnvelope {
  const { type, ...payload } = reply;
  return DEFINITIONS[type].create({
    source: SERVICE_NAME,
    aggregateId: reply.orderId,
    aggregateVersion: paymentVersion,
    ...causedBy(command),
    payload,
  });
}
