/**
 * The payment ledger's vocabulary: one payment per order, the money
 * movements at the provider (ledger entries) and the replies the saga gets.
 * Plain data, no I/O: the decisions in this folder are functions of it.
 */

export const PAYMENT_STATUSES = [
  /** An authorize timed out (the provider may have authorized) and the hold could not be voided yet. */
  'AUTHORIZATION_UNKNOWN',
  'AUTHORIZED',
  'DECLINED',
  'CAPTURED',
  'VOIDED',
  'REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export type DeclineReason = 'DECLINED' | 'INSUFFICIENT_FUNDS' | 'PROVIDER_UNAVAILABLE';

export type EntryKind = 'AUTHORIZE' | 'CAPTURE' | 'VOID' | 'REFUND';

export interface LedgerEntry {
  kind: EntryKind;
  amountCents: number;
  currency: string;
  /** The provider's id of the authorization, capture, void or refund. */
  providerReference: string;
}

export interface Payment {
  id: string;
  orderId: string;
  status: PaymentStatus;
  /** The authorized amount; null when the order was voided before any authorization. */
  amountCents: number | null;
  currency: string | null;
  /** Set when the authorize command was answered with PaymentDeclined (kept for repeats). */
  declineReason: DeclineReason | null;
  providerAuthorizationId: string | null;
  /** Raised by every change; the aggregateVersion of the replies. */
  version: number;
  entries: readonly LedgerEntry[];
}

export interface AuthorizeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
}

export interface MoneyRequest {
  orderId: string;
  paymentId: string;
  amountCents: number;
  currency: string;
}

export interface VoidRequest {
  orderId: string;
  /** Null: void whatever authorization exists for the order. */
  paymentId: string | null;
}

/** The replies on payment.events, as plain data (the adapter turns them into envelopes). */
export type PaymentReply =
  | { type: 'PaymentAuthorized'; orderId: string; paymentId: string; amountCents: number; currency: string }
  | { type: 'PaymentDeclined'; orderId: string; reason: DeclineReason }
  | { type: 'PaymentCaptured'; orderId: string; paymentId: string; amountCents: number; currency: string }
  | { type: 'PaymentCaptureFailed'; orderId: string; paymentId: string; reason: string }
  | { type: 'PaymentVoided'; orderId: string; paymentId: string | null }
  | { type: 'PaymentVoidFailed'; orderId: string; paymentId: string | null; reason: string }
  | { type: 'PaymentRefunded'; orderId: string; paymentId: string; amountCents: number; currency: string }
  | { type: 'PaymentRefundFailed'; orderId: string; paymentId: string; reason: string };

/**
 * What a decision writes: the payment as it is afterwards (`previousStatus`
 * null = a new row, else the status the stored row must still have), the
 * entries to add, and the reply.
 */
export interface LedgerChange {
  payment: Payment;
  previousStatus: PaymentStatus | null;
  newEntries: LedgerEntry[];
  reply: PaymentReply;
}

/** A decision's result: a reply alone (repeat or refusal), or a change of the ledger with its reply. */
export type Outcome = { reply: PaymentReply; change?: LedgerChange };

/** Why a command is refused without asking the provider. Stable strings: they travel in the *Failed replies. */
export const REFUSAL = {
  notAuthorized: 'NOT_AUTHORIZED',
  notCaptured: 'NOT_CAPTURED',
  unknownPayment: 'UNKNOWN_PAYMENT',
  alreadyVoided: 'PAYMENT_VOIDED',
  alreadyCaptured: 'PAYMENT_CAPTURED',
  currencyMismatch: 'CURRENCY_MISMATCH',
  amountExceedsAuthorization: 'AMOUNT_EXCEEDS_AUTHORIZATION',
  amountExceedsCapture: 'AMOUNT_EXCEEDS_CAPTURE',
} as const;

export function entryOf(payment: Pick<Payment, 'entries'>, kind: EntryKind): LedgerEntry | undefined {
  return payment.entries.find((entry) => entry.kind === kind);
}

/** The payment id the saga may know: ours, if an authorization ever existed; null if nothing was ever held. */
export function heldPaymentId(payment: Payment): string | null {
  return payment.providerAuthorizationId === null ? null : payment.id;
}

/** The next state of a stored payment (version raised). */
/**
 * The provider moved money on an authorized payment (a capture, then maybe a
 * refund): the ledger entry, the payment's new status, the reply to send.
 */
export function moneyMoved(
  payment: Payment,
  request: MoneyRequest,
  providerReference: string,
  movement: {
    kind: 'CAPTURE' | 'REFUND';
    status: PaymentStatus;
    replyOf: (payment: Payment, entry: LedgerEntry) => PaymentReply;
  },
): LedgerChange {
  const entry: LedgerEntry = {
    kind: movement.kind,
    amountCents: request.amountCents,
    currency: request.currency,
    providerReference,
  };
  return {
    payment: changed(payment, { status: movement.status }, [entry]),
    previousStatus: payment.status,
    newEntries: [entry],
    reply: movement.replyOf(payment, entry),
  };
}

export function changed(payment: Payment, fields: Partial<Payment>, newEntries: LedgerEntry[]): Payment {
  return {
    ...payment,
    ...fields,
    version: payment.version + 1,
    entries: [...payment.entries, ...newEntries],
  };
}
