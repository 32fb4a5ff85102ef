import { ORDER_CANCELLATION_REASONS } from '@shop/contracts';
import { formatMoney, orderOutcomeText, shortOrderId } from './order-outcome-messages';

const ORDER = '0192f0c1-7d3a-7b2e-9c41-5e6f7a8b9c0d';

describe('order outcome texts', () => {
  it('confirms an order with its short id and its amount in the currency', () => {
    expect(
      orderOutcomeText({ type: 'confirmed', orderId: ORDER, totalCents: 4598, currency: 'EUR' }),
    ).toEqual({
      kind: 'order_confirmed',
      title: 'Order 0192F0C1 confirmed',
      body: 'Thank you! Your order 0192F0C1 of €45.98 is confirmed and your payment was accepted.',
    });
  });

  it.each([
    [
      'OUT_OF_STOCK',
      'Some of the items are out of stock, so we could not fulfil it. You have not been charged.',
    ],
    [
      'STOCK_RESERVATION_TIMED_OUT',
      'We could not reserve your items in time. You have not been charged; please try again.',
    ],
    [
      'PAYMENT_DECLINED',
      'Your payment was declined. You have not been charged; please try again with another payment method.',
    ],
    [
      'PAYMENT_TIMED_OUT',
      'We could not confirm your payment in time. Any amount held on your payment method will be released.',
    ],
    ['CUSTOMER_REQUEST', 'It was cancelled at your request.'],
  ] as const)('explains a cancellation for %s', (reason, explanation) => {
    expect(orderOutcomeText({ type: 'cancelled', orderId: ORDER, reason })).toEqual({
      kind: 'order_cancelled',
      title: 'Order 0192F0C1 cancelled',
      body: `Your order 0192F0C1 was cancelled. ${explanation}`,
    });
  });

  it('has a distinct explanation for every reason of the contract', () => {
    const bodies = ORDER_CANCELLATION_REASONS.map(
      (reason) => orderOutcomeText({ type: 'cancelled', orderId: ORDER, reason }).body,
    );
    expect(new Set(bodies).size).toBe(ORDER_CANCELLATION_REASONS.length);
  });

  it('tells about a refund', () => {
    expect(orderOutcomeText({ type: 'refunded', orderId: ORDER })).toEqual({
      kind: 'payment_refunded',
      title: 'Payment for order 0192F0C1 refunded',
      body: 'We refunded the payment for your cancelled order 0192F0C1. Depending on your bank, it can take a few days to appear.',
    });
  });

  it('formats minor units in the precision of the currency', () => {
    expect(formatMoney(1299, 'EUR')).toBe('€12.99');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect(formatMoney(0, 'GBP')).toBe('£0.00');
  });

  it('shortens an order id to its first 8 hex digits', () => {
    expect(shortOrderId('abcdef12-0000-7000-8000-000000000000')).toBe('ABCDEF12');
  });
});
