import { z } from 'zod';
import { defineMessage, type MessageOf } from '../messages/message-definition';
import { TOPICS } from '../topics';

const uuid = z.uuid();
const currency = z.string().regex(/^[A-Z]{3}$/);
const amountCents = z.number().int().positive();
const reason = z.string().min(1);

/** Tokens of the simulated provider: `tok_` and 2 to 64 letters, digits or underscores. */
export const PAYMENT_TOKEN_PATTERN = /^tok_[A-Za-z0-9_]{2,64}$/;

/**
 * Commands to payment on `payment.commands` and its replies on
 * `payment.events`, all keyed by orderId. Payment applies each at most once:
 * one authorization per order (the order id is the provider's idempotency
 * key), at most one capture per payment and never without an authorization,
 * void and refund at most once. A repeated command gets the first outcome
 * again.
 */
export const AuthorizePaymentV1 = defineMessage({
  kind: 'command',
  type: 'AuthorizePayment',
  version: 1,
  topic: TOPICS.paymentCommands.name,
  schema: z.object({
    orderId: uuid,
    amountCents,
    currency,
    paymentToken: z.string().regex(PAYMENT_TOKEN_PATTERN),
  }),
});

export const CapturePaymentV1 = defineMessage({
  kind: 'command',
  type: 'CapturePayment',
  version: 1,
  topic: TOPICS.paymentCommands.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, amountCents, currency }),
});

/** paymentId null: void whatever authorization exists for the order (the saga timed out waiting for it). */
export const VoidPaymentV1 = defineMessage({
  kind: 'command',
  type: 'VoidPayment',
  version: 1,
  topic: TOPICS.paymentCommands.name,
  schema: z.object({ orderId: uuid, paymentId: uuid.nullable() }),
});

export const RefundPaymentV1 = defineMessage({
  kind: 'command',
  type: 'RefundPayment',
  version: 1,
  topic: TOPICS.paymentCommands.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, amountCents, currency }),
});

export const PaymentAuthorizedV1 = defineMessage({
  type: 'PaymentAuthorized',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, amountCents, currency }),
});

/** DECLINED and INSUFFICIENT_FUNDS come from the provider; PROVIDER_UNAVAILABLE when it could not be asked (breaker open, errors). */
export const PAYMENT_DECLINE_REASONS = ['DECLINED', 'INSUFFICIENT_FUNDS', 'PROVIDER_UNAVAILABLE'] as const;

export const PaymentDeclinedV1 = defineMessage({
  type: 'PaymentDeclined',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, reason: z.enum(PAYMENT_DECLINE_REASONS) }),
});

export const PaymentCapturedV1 = defineMessage({
  type: 'PaymentCaptured',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, amountCents, currency }),
});

export const PaymentCaptureFailedV1 = defineMessage({
  type: 'PaymentCaptureFailed',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, reason }),
});

/** paymentId null: there was no authorization to void (nothing held). */
export const PaymentVoidedV1 = defineMessage({
  type: 'PaymentVoided',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid.nullable() }),
});

export const PaymentVoidFailedV1 = defineMessage({
  type: 'PaymentVoidFailed',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid.nullable(), reason }),
});

export const PaymentRefundedV1 = defineMessage({
  type: 'PaymentRefunded',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, amountCents, currency }),
});

export const PaymentRefundFailedV1 = defineMessage({
  type: 'PaymentRefundFailed',
  version: 1,
  topic: TOPICS.paymentEvents.name,
  schema: z.object({ orderId: uuid, paymentId: uuid, reason }),
});

export const PAYMENT_COMMANDS = [
  AuthorizePaymentV1,
  CapturePaymentV1,
  VoidPaymentV1,
  RefundPaymentV1,
] as const;
export const PAYMENT_EVENTS = [
  PaymentAuthorizedV1,
  PaymentDeclinedV1,
  PaymentCapturedV1,
  PaymentCaptureFailedV1,
  PaymentVoidedV1,
  PaymentVoidFailedV1,
  PaymentRefundedV1,
  PaymentRefundFailedV1,
] as const;

export type AuthorizePaymentCommand = MessageOf<typeof AuthorizePaymentV1>;
export type CapturePaymentCommand = MessageOf<typeof CapturePaymentV1>;
export type VoidPaymentCommand = MessageOf<typeof VoidPaymentV1>;
export type RefundPaymentCommand = MessageOf<typeof RefundPaymentV1>;
export type PaymentCommand =
  AuthorizePaymentCommand | CapturePaymentCommand | VoidPaymentCommand | RefundPaymentCommand;
export type PaymentEvent =
  | MessageOf<typeof PaymentAuthorizedV1>
  | MessageOf<typeof PaymentDeclinedV1>
  | MessageOf<typeof PaymentCapturedV1>
  | MessageOf<typeof PaymentCaptureFailedV1>
  | MessageOf<typeof PaymentVoidedV1>
  | MessageOf<typeof PaymentVoidFailedV1>
  | MessageOf<typeof PaymentRefundedV1>
  | MessageOf<typeof PaymentRefundFailedV1>;
