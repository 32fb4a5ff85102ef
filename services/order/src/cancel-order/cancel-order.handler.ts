import { ApiError, uuidv7 } from '@shop/contracts';
import type { SqlClient } from '@shop/persistence';
import type { CallerIdentity } from '@shop/service-kit';
import type { SagaRunner } from '../placement-saga/saga-runner';
import { orderNotFound } from '../shared/order-errors';
import { orderStatusOf } from '../shared/order-status';

export interface CancelAccepted {
  orderId: string;
  status: 'CANCELLED';
  statusUrl: string;
}

/**
 * The customer's cancel goes to the saga as CancelRequested: it cancels the
 * order and compensates while the order is PENDING; after that the saga
 * ignores it and the answer is 409. Repeating an accepted cancel is
 * accepted again (nothing new happens).
 */
export class CancelOrderHandler {
  constructor(
    private readonly sql: SqlClient,
    private readonly runner: SagaRunner,
  ) {}

  async execute(orderId: string, caller: CallerIdentity): Promise<CancelAccepted> {
    const run = await this.sql.transaction((tx) =>
      this.runner.run(tx, orderId, (row) => {
        if (row.customerId !== caller.userId && !caller.roles.includes('admin'))
          throw new ApiError('FORBIDDEN', `Order ${orderId} is not yours`);
        return { type: 'CancelRequested', messageId: uuidv7() };
      }),
    );
    if (!run) throw orderNotFound(orderId);
    const accepted = { orderId, status: 'CANCELLED' as const, statusUrl: `/orders/${orderId}` };
    if (run.step.orderDecision?.type === 'cancel') return accepted;
    const { state } = run.step;
    if (state.cancellation?.reason === 'CUSTOMER_REQUEST') return accepted;
    const status = orderStatusOf(state);
    throw new ApiError('CONFLICT', `Order ${orderId} is ${status} and can no longer be cancelled`, {
      status,
    });
  }
}
