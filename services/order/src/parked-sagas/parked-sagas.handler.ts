import { ApiError, uuidv7 } from '@shop/contracts';
import type { SqlClient } from '@shop/persistence';
import type { SagaStatus } from '../domain';
import type { SagaRunner } from '../placement-saga/saga-runner';
import { sagasInStatus, type SagaSummary } from '../placement-saga/saga-store';
import { orderNotFound } from '../shared/order-errors';
import { orderStatusOf } from '../shared/order-status';

/** What operators see of a saga (never the payment token). */
export interface SagaView {
  orderId: string;
  customerId: string;
  sagaStatus: SagaStatus;
  orderStatus: string;
  parked: { operation: string; reason: string; at: string } | null;
  attempts: number;
  pendingCompensations: string[];
  cancellation: { reason: string; detail?: string } | null;
  timer: { step: string; purpose: string; at: string } | null;
  updatedAt: string;
}

export function sagaView({ orderId, customerId, state, updatedAt }: SagaSummary): SagaView {
  return {
    orderId,
    customerId,
    sagaStatus: state.status,
    orderStatus: orderStatusOf(state),
    parked: state.parked,
    attempts: state.attempts,
    pendingCompensations: state.compensations,
    cancellation: state.cancellation,
    timer: state.timer && { step: state.timer.step, purpose: state.timer.purpose, at: state.timer.at },
    updatedAt,
  };
}

/** Operators: list sagas by status (PARKED ones need a look) and resume a parked one. */
export class ParkedSagasHandler {
  constructor(
    private readonly sql: SqlClient,
    private readonly runner: SagaRunner,
  ) {}

  async list(status: SagaStatus, limit: number): Promise<{ items: SagaView[] }> {
    return { items: (await sagasInStatus(this.sql, status, limit)).map(sagaView) };
  }

  /** ResumeParked: the parked operation is sent again (attempts start over). 409 unless PARKED. */
  async resume(orderId: string): Promise<SagaView> {
    const run = await this.sql.transaction((tx) =>
      this.runner.run(tx, orderId, () => ({ type: 'ResumeParked', messageId: uuidv7() })),
    );
    if (!run) throw orderNotFound(orderId);
    if (run.before.state.status !== 'PARKED')
      throw new ApiError(
        'CONFLICT',
        `The saga of order ${orderId} is ${run.before.state.status}, not PARKED`,
        {
          sagaStatus: run.before.state.status,
        },
      );
    const { customerId } = run.before;
    return sagaView({
      orderId,
      customerId,
      status: run.step.state.status,
      state: run.step.state,
      updatedAt: run.step.state.updatedAt,
    });
  }
}
