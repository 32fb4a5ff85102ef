import type { OrderStatus, SagaState } from '../domain';

/** The order's status as the saga knows it (the aggregate follows the saga's decisions). */
export function orderStatusOf(saga: SagaState): OrderStatus {
  if (saga.cancellation) return 'CANCELLED';
  return saga.status === 'RESERVING_STOCK' || saga.status === 'AUTHORIZING_PAYMENT' ? 'PENDING' : 'CONFIRMED';
}
