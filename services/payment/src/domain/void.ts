import {
  changed,
  entryOf,
  heldPaymentId,
  REFUSAL,
  type DeclineReason,
  type LedgerChange,
  type LedgerEntry,
  type Payment,
  type PaymentReply,
  type VoidRequest,
} from './payment';

export type VoidDecision =
  | { kind: 'reply'; reply: PaymentReply }
  /**
   * Void at the provider by the order's authorization key: also when the
   * ledger knows no authorization (the service may have crashed between the
   * provider's answer and its own transaction, or an authorize timed out).
   */
  | { kind: 'void'; payment: Payment | null };

/**
 * A void releases the hold of an authorization that was not captured. A
 * voided payment repeats its PaymentVoided; a captured one is refused (the
 * money moved: that takes a refund).
 */
export function decideVoid(payment: Payment | null, request: VoidRequest): VoidDecision {
  const refuse = (reason: string): VoidDecision => ({ kind: 'reply', reply: voidFailed(request, reason) });
  if (payment !== null && request.paymentId !== null && payment.id !== request.paymentId)
    return refuse(REFUSAL.unknownPayment);
  if (payment?.status === 'VOIDED') return { kind: 'reply', reply: voidedReply(payment) };
  if (payment && entryOf(payment, 'CAPTURE')) return refuse(REFUSAL.alreadyCaptured);
  return { kind: 'void', payment };
}

/** What the provider answered to the void of the order's authorization key. */
export interface ProviderVoid {
  /** The void's reference; null when the provider held nothing for the key. */
  voidReference: string | null;
  /** The authorization the void released (null: there was none). */
  authorization: { id: string; amountCents: number; currency: string } | null;
}

/**
 * Records the void. Three cases: the ledger's own authorization; an
 * authorization only the provider knew (recorded now, with its void); or
 * nothing held at all (the payment is closed, so a late AuthorizePayment is
 * declined instead of authorizing).
 */
export function voided(
  current: Payment | null,
  request: VoidRequest,
  newPaymentId: string,
  result: ProviderVoid,
): LedgerChange {
  const base = current ?? closedPayment(newPaymentId, request.orderId);
  const authorization = result.authorization;
  const entries: LedgerEntry[] = [];
  let providerAuthorizationId = base.providerAuthorizationId;
  let amount = { amountCents: base.amountCents, currency: base.currency };
  if (authorization !== null && result.voidReference !== null) {
    if (!entryOf(base, 'AUTHORIZE')) {
      entries.push({
        kind: 'AUTHORIZE',
        amountCents: authorization.amountCents,
        currency: authorization.currency,
        providerReference: authorization.id,
      });
      providerAuthorizationId = authorization.id;
      amount = { amountCents: authorization.amountCents, currency: authorization.currency };
    }
    entries.push({
      kind: 'VOID',
      amountCents: authorization.amountCents,
      currency: authorization.currency,
      providerReference: result.voidReference,
    });
  }
  const declineReason = base.status === 'AUTHORIZED' ? null : voidedAuthorizeAnswer(base);
  const payment = changed(
    base,
    { status: 'VOIDED', providerAuthorizationId, declineReason, ...amount },
    entries,
  );
  return {
    payment,
    previousStatus: current?.status ?? null,
    newEntries: entries,
    reply: voidedReply(payment),
  };
}

/**
 * How an AuthorizePayment arriving after the void is answered when the
 * ledger had not recorded an authorization: declined, since the hold is gone
 * (a timed-out authorize as PROVIDER_UNAVAILABLE, an earlier decline keeps
 * its reason, an order never authorized as DECLINED).
 */
function voidedAuthorizeAnswer(base: Payment): DeclineReason {
  if (base.status === 'AUTHORIZATION_UNKNOWN') return 'PROVIDER_UNAVAILABLE';
  return base.declineReason ?? 'DECLINED';
}

export function voidFailed(request: VoidRequest, reason: string): PaymentReply {
  return { type: 'PaymentVoidFailed', orderId: request.orderId, paymentId: request.paymentId, reason };
}

function voidedReply(payment: Payment): PaymentReply {
  return { type: 'PaymentVoided', orderId: payment.orderId, paymentId: heldPaymentId(payment) };
}

function closedPayment(id: string, orderId: string): Payment {
  return {
    id,
    orderId,
    status: 'VOIDED',
    amountCents: null,
    currency: null,
    declineReason: null,
    providerAuthorizationId: null,
    version: 0,
    entries: [],
  };
}
