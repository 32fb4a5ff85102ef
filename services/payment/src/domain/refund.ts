import {
  moneyMoved,
  entryOf,
  REFUSAL,
  type LedgerChange,
  type LedgerEntry,
  type MoneyRequest,
  type Payment,
  type PaymentReply,
} from './payment';

export type RefundDecision =
  { kind: 'reply'; reply: PaymentReply } | { kind: 'refund'; payment: Payment; capture: LedgerEntry };

/** Refund only after capture, at most once, never more than was captured. */
export function decideRefund(payment: Payment | null, request: MoneyRequest): RefundDecision {
  const refuse = (reason: string): RefundDecision => ({
    kind: 'reply',
    reply: refundFailed(request, reason),
  });
  if (payment === null) return refuse(REFUSAL.notCaptured);
  if (payment.id !== request.paymentId) return refuse(REFUSAL.unknownPayment);
  const refund = entryOf(payment, 'REFUND');
  if (refund) return { kind: 'reply', reply: refundedReply(payment, refund) };
  const capture = entryOf(payment, 'CAPTURE');
  if (!capture || payment.status !== 'CAPTURED') return refuse(REFUSAL.notCaptured);
  if (capture.currency !== request.currency) return refuse(REFUSAL.currencyMismatch);
  if (request.amountCents > capture.amountCents) return refuse(REFUSAL.amountExceedsCapture);
  return { kind: 'refund', payment, capture };
}

export function refunded(payment: Payment, request: MoneyRequest, providerReference: string): LedgerChange {
  return moneyMoved(payment, request, providerReference, {
    kind: 'REFUND',
    status: 'REFUNDED',
    replyOf: refundedReply,
  });
}

export function refundFailed(request: MoneyRequest, reason: string): PaymentReply {
  return { type: 'PaymentRefundFailed', orderId: request.orderId, paymentId: request.paymentId, reason };
}

function refundedReply(payment: Payment, refund: LedgerEntry): PaymentReply {
  return {
    type: 'PaymentRefunded',
    orderId: payment.orderId,
    paymentId: payment.id,
    amountCents: refund.amountCents,
    currency: refund.currency,
  };
}
