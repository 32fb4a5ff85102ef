import type { OrderCancellationReason } from '@shop/contracts';
import type { NotificationText } from './notification';

/** The order outcomes a customer is told about (from the order service's integration events). */
export type OrderOutcome =
  | { type: 'confirmed'; orderId: string; totalCents: number; currency: string }
  | { type: 'cancelled'; orderId: string; reason: OrderCancellationReason }
  | { type: 'refunded'; orderId: string };

/**
 * One sentence per cancellation reason, written for the customer. A new
 * reason in the contract fails to compile here until it has its text. The
 * event's free-text `detail` is for operators and never shown.
 */
const CANCELLATION_EXPLANATIONS: Record<OrderCancellationReason, string> = {
  OUT_OF_STOCK: 'Some of the items are out of stock, so we could not fulfil it. You have not been charged.',
  STOCK_RESERVATION_TIMED_OUT:
    'We could not reserve your items in time. You have not been charged; please try again.',
  PAYMENT_DECLINED:
    'Your payment was declined. You have not been charged; please try again with another payment method.',
  PAYMENT_TIMED_OUT:
    'We could not confirm your payment in time. Any amount held on your payment method will be released.',
  CUSTOMER_REQUEST: 'It was cancelled at your request.',
};

/** The title and body of the notification for an order outcome. */
export function orderOutcomeText(outcome: OrderOutcome): NotificationText {
  const order = shortOrderId(outcome.orderId);
  switch (outcome.type) {
    case 'confirmed':
      return {
        kind: 'order_confirmed',
        title: `Order ${order} confirmed`,
        body: `Thank you! Your order ${order} of ${formatMoney(outcome.totalCents, outcome.currency)} is confirmed and your payment was accepted.`,
      };
    case 'cancelled':
      return {
        kind: 'order_cancelled',
        title: `Order ${order} cancelled`,
        body: `Your order ${order} was cancelled. ${CANCELLATION_EXPLANATIONS[outcome.reason]}`,
      };
    case 'refunded':
      return {
        kind: 'payment_refunded',
        title: `Payment for order ${order} refunded`,
        body: `We refunded the payment for your cancelled order ${order}. Depending on your bank, it can take a few days to appear.`,
      };
  }
}

/** What customers see of an order id: its first 8 hex digits, upper case (enough to tell their orders apart). */
export function shortOrderId(orderId: string): string {
  return orderId.replace(/-/g, '').slice(0, 8).toUpperCase();
}

/** Minor units in the currency's own precision (EUR 2 digits, JPY none): `1299, 'EUR'` -> `€12.99`. */
export function formatMoney(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}
