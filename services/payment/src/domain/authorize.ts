import {
  changed,
  type AuthorizeRequest,
  type DeclineReason,
  type LedgerChange,
  type LedgerEntry,
  type Payment,
  type PaymentReply,
} from './payment';

export type AuthorizeDecision =
  | { kind: 'reply'; reply: PaymentReply }
  /** Nothing known yet: ask the provider (idempotency key = order id). */
  | { kind: 'authorize' }
  /** An earlier attempt timed out: the provider may hold money. Void by the key, then decline. */
  | { kind: 'void-unknown-authorization' };

export function decideAuthorize(payment: Payment | null): AuthorizeDecision {
  if (payment === null) return { kind: 'authorize' };
  if (payment.status === 'AUTHORIZATION_UNKNOWN') return { kind: 'void-unknown-authorization' };
  return { kind: 'reply', reply: firstAuthorizeOutcome(payment) };
}

/** A repeated AuthorizePayment gets the first answer again. */
export function firstAuthorizeOutcome(payment: Payment): PaymentReply {
  if (payment.declineReason !== null)
    return { type: 'PaymentDeclined', orderId: payment.orderId, reason: payment.declineReason };
  if (payment.providerAuthorizationId !== null && payment.amountCents !== null && payment.currency !== null)
    return {
      type: 'PaymentAuthorized',
      orderId: payment.orderId,
      paymentId: payment.id,
      amountCents: payment.amountCents,
      currency: payment.currency,
    };
  // Voided before any authorization (the saga gave up first): nothing may be authorized any more.
  return { type: 'PaymentDeclined', orderId: payment.orderId, reason: 'DECLINED' };
}

/** The provider approved: the payment is AUTHORIZED with its AUTHORIZE entry. */
export function authorizationApproved(
  current: Payment | null,
  request: AuthorizeRequest,
  paymentId: string,
  providerAuthorizationId: string,
): LedgerChange {
  const entry: LedgerEntry = {
    kind: 'AUTHORIZE',
    amountCents: request.amountCents,
    currency: request.currency,
    providerReference: providerAuthorizationId,
  };
  const payment = changed(
    current ?? newPayment(paymentId, request),
    { status: 'AUTHORIZED', providerAuthorizationId, declineReason: null },
    [entry],
  );
  return {
    payment,
    previousStatus: current?.status ?? null,
    newEntries: [entry],
    reply: firstAuthorizeOutcome(payment),
  };
}

/** The provider declined, or could not be asked (breaker open, definite error): nothing is held. */
export function authorizationDeclined(
  current: Payment | null,
  request: AuthorizeRequest,
  paymentId: string,
  reason: DeclineReason,
): LedgerChange {
  const payment = changed(
    current ?? newPayment(paymentId, request),
    { status: 'DECLINED', declineReason: reason },
    [],
  );
  return {
    payment,
    previousStatus: current?.status ?? null,
    newEntries: [],
    reply: firstAuthorizeOutcome(payment),
  };
}

/**
 * The payment of an authorize that timed out, recorded before the void is
 * tried: whoever handles the order next knows money may be held.
 */
export function authorizationUnknown(request: AuthorizeRequest, paymentId: string): Payment {
  return { ...newPayment(paymentId, request), status: 'AUTHORIZATION_UNKNOWN', version: 1 };
}

/**
 * The timed-out authorization was voided at the provider: decline with
 * PROVIDER_UNAVAILABLE. If the provider had authorized after all, the ledger
 * records the authorization and its void.
 */
export function unknownAuthorizationVoided(
  current: Payment,
  voided: { authorizationId: string | null; voidReference: string | null },
): LedgerChange {
  const entries: LedgerEntry[] =
    voided.authorizationId !== null && voided.voidReference !== null && current.amountCents !== null
      ? [
          authorizeEntry(current, voided.authorizationId),
          { ...authorizeEntry(current, voided.voidReference), kind: 'VOID' },
        ]
      : [];
  const payment = changed(
    current,
    {
      status: 'VOIDED',
      declineReason: 'PROVIDER_UNAVAILABLE',
      providerAuthorizationId: entries.length > 0 ? voided.authorizationId : null,
    },
    entries,
  );
  return {
    payment,
    previousStatus: current.status,
    newEntries: entries,
    reply: firstAuthorizeOutcome(payment),
  };
}

function authorizeEntry(payment: Payment, reference: string): LedgerEntry {
  return {
    kind: 'AUTHORIZE',
    amountCents: payment.amountCents!,
    currency: payment.currency!,
    providerReference: reference,
  };
}

function newPayment(id: string, request: AuthorizeRequest): Payment {
  return {
    id,
    orderId: request.orderId,
    status: 'DECLINED',
    amountCents: request.amountCents,
    currency: request.currency,
    declineReason: null,
    providerAuthorizationId: null,
    version: 0,
    entries: [],
  };
}
