/**
 * The provider's idempotency keys. One authorization per order, so the
 * authorization's key is the order id. Capture and refund are keyed by our
 * payment id. The void is keyed by the authorization's key (the order) because
 * it must also cancel an authorization the ledger never recorded, when no
 * payment id is known; one authorization per order means one void per order.
 */
export const idempotencyKeys = {
  authorize: (orderId: string) => orderId,
  capture: (paymentId: string) => `capture:${paymentId}`,
  void: (orderId: string) => `void:${orderId}`,
  refund: (paymentId: string) => `refund:${paymentId}`,
};
