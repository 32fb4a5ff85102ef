/**
 * What the placement saga sends and receives, as plain types. The service's
 * adapters map them to and from @shop/contracts messages; `messageId` is the
 * envelope id (a redelivered message keeps it).
 *
 * Every command is keyed by orderId and idempotent at its receiver:
 * inventory reserves/releases/commits at most once per order, payment
 * authorizes/captures/voids/refunds at most once per order (`orderId` is the
 * provider's idempotency key). Retrying a command is therefore safe.
 */

export interface StockItem {
  productId: string;
  quantity: number;
}

// Commands (saga -> inventory, payment, scheduler)
export interface ReserveStock {
  type: 'ReserveStock';
  orderId: string;
  items: StockItem[];
}
/** Releases whatever is reserved for the order (reservationId when known). */
export interface ReleaseStock {
  type: 'ReleaseStock';
  orderId: string;
  reservationId: string | null;
}
/** Reserved -> sold. Sent once, at confirmation; no reply awaited (no compensation exists for it). */
export interface CommitStock {
  type: 'CommitStock';
  orderId: string;
  reservationId: string | null;
}
export interface AuthorizePayment {
  type: 'AuthorizePayment';
  orderId: string;
  amountCents: number;
  currency: string;
  paymentToken: string;
}
export interface CapturePayment {
  type: 'CapturePayment';
  orderId: string;
  paymentId: string;
  amountCents: number;
  currency: string;
}
/** Voids the order's authorization; paymentId null when an authorization may exist that the saga never heard of. */
export interface VoidPayment {
  type: 'VoidPayment';
  orderId: string;
  paymentId: string | null;
}
export interface RefundPayment {
  type: 'RefundPayment';
  orderId: string;
  paymentId: string;
  amountCents: number;
  currency: string;
}
/** Asks the scheduler to feed `StepTimedOut { timerId, step }` at `at` (ISO); a newer timer replaces it. */
export interface ScheduleTimeout {
  type: 'ScheduleTimeout';
  timerId: string;
  step: SagaOperation;
  at: string;
}
export type SagaCommand =
  | ReserveStock
  | ReleaseStock
  | CommitStock
  | AuthorizePayment
  | CapturePayment
  | VoidPayment
  | RefundPayment
  | ScheduleTimeout;

/** The operation a timer or a retry belongs to. */
export type SagaOperation =
  | 'RESERVE_STOCK'
  | 'AUTHORIZE_PAYMENT'
  | 'CAPTURE_PAYMENT'
  | 'VOID_PAYMENT'
  | 'REFUND_PAYMENT'
  | 'RELEASE_STOCK';

// Replies (inventory, payment -> saga)
interface Reply<T extends string> {
  type: T;
  messageId: string;
  orderId: string;
}
export interface StockReserved extends Reply<'StockReserved'> {
  reservationId: string;
}
export interface StockReservationFailed extends Reply<'StockReservationFailed'> {
  reason: string;
}
export type StockReleased = Reply<'StockReleased'>;
export interface StockReleaseFailed extends Reply<'StockReleaseFailed'> {
  reason: string;
}
export interface PaymentAuthorized extends Reply<'PaymentAuthorized'> {
  paymentId: string;
}
export interface PaymentDeclined extends Reply<'PaymentDeclined'> {
  reason: string;
}
export interface PaymentCaptured extends Reply<'PaymentCaptured'> {
  paymentId: string;
}
export interface PaymentCaptureFailed extends Reply<'PaymentCaptureFailed'> {
  reason: string;
}
export type PaymentVoided = Reply<'PaymentVoided'>;
export interface PaymentVoidFailed extends Reply<'PaymentVoidFailed'> {
  reason: string;
}
export type PaymentRefunded = Reply<'PaymentRefunded'>;
export interface PaymentRefundFailed extends Reply<'PaymentRefundFailed'> {
  reason: string;
}
export type SagaReply =
  | StockReserved
  | StockReservationFailed
  | StockReleased
  | StockReleaseFailed
  | PaymentAuthorized
  | PaymentDeclined
  | PaymentCaptured
  | PaymentCaptureFailed
  | PaymentVoided
  | PaymentVoidFailed
  | PaymentRefunded
  | PaymentRefundFailed;

// Other inputs
/** From the scheduler, for the timer the saga armed with ScheduleTimeout. */
export interface StepTimedOut {
  type: 'StepTimedOut';
  timerId: string;
  step: SagaOperation;
}
/** The customer cancels (the service checked the order is PENDING). */
export interface CancelRequested {
  type: 'CancelRequested';
  messageId: string;
  detail?: string;
}
/** An operator retries a parked saga (after fixing the cause). */
export interface ResumeParked {
  type: 'ResumeParked';
  messageId: string;
}
export type SagaInput = SagaReply | StepTimedOut | CancelRequested | ResumeParked;
