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

export type CaptureDecision = { kind: 'reply'; reply: PaymentReply } | { kind: 'capture'; payment: Payment };

/**
 * At most one capture per payment, never without an authorization: a
 * captured payment repeats its PaymentCaptured, anything not AUTHORIZED is
 * refused without asking the provider.
 */
export function decideCapture(payment: Payment | null, request: MoneyRequest): CaptureDecision {
  const refuse = (reason: string): CaptureDecision => ({
    kind: 'reply',
    reply: captureFailed(request, reason),
  });
  if (payment === null) return refuse(REFUSAL.notAuthorized);
  if (payment.id !== request.paymentId) return refuse(REFUSAL.unknownPayment);
  const capture = entryOf(payment, 'CAPTURE');
  if (capture) return { kind: 'reply', reply: capturedReply(payment, capture) };
  if (payment.status === 'VOIDED') return refuse(REFUSAL.alreadyVoided);
  if (payment.status !== 'AUTHORIZED') return refuse(REFUSAL.notAuthorized);
  if (payment.currency !== request.currency) return refuse(REFUSAL.currencyMismatch);
  if (request.amountCents > payment.amountCents!) return refuse(REFUSAL.amountExceedsAuthorization);
  return { kind: 'capture', payment };
}

export function captured(payment: Payment, request: MoneyRequest, providerReference: string): LedgerChange {
  return moneyMoved(payment, request, providerReference, {
    kind: 'CAPTURE',
    status: 'CAPTURED',
    replyOf: capturedReply,
  });
}

export function captureFailed(request: MoneyRequest, reason: string): PaymentReply {
  return { type: 'PaymentCaptureFailed', orderId: request.orderId, paymentId: request.paymentId, reason };
}

function capturedReply(payment: Payment, capture: LedgerEntry): PaymentReply {
  return {
    type: 'PaymentCaptured',
    orderId: payment.orderId,
    paymentId: payment.id,
    amountCents: capture.amountCents,
    currency: capture.currency,
  };
}
