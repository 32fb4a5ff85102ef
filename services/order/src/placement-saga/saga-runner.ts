import type { OutboxWriter } from '@shop/messaging';
import type { SqlExecutor } from '@shop/persistence';
import { counter, type Logger } from '@shop/telemetry';
import {
  cancelOrder,
  confirmOrder,
  handle,
  recordPaymentOutcome,
  type OrderDecision,
  type OrderEvent,
  type OrderState,
  type SagaInput,
  type SagaPolicy,
  type SagaStep,
} from '../domain';
import { saveOrder, type OrderRepository } from '../shared/order-stream';
import { commandEnvelopes } from './saga-contracts';
import { lockSaga, updateSaga, type SagaRow } from './saga-store';

const sagaAlerts = counter<'operation'>(
  'shop_order_saga_alerts_total',
  'Placement sagas parked because a capture or compensation kept failing',
  ['operation'],
);

export interface SagaRun {
  before: SagaRow;
  step: SagaStep;
}

/**
 * Drives the pure saga for one input, inside the caller's transaction (the
 * inbox's, the scheduler's or a request's): lock the saga row, `handle`,
 * write the new state, the commands to the outbox, and the order decision
 * to the event store (with its integration event). One input, one commit.
 */
export class SagaRunner {
  constructor(
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    private readonly policy: SagaPolicy,
    private readonly logger: Logger,
  ) {}

  /**
   * `inputFor` sees the locked row and returns the input (or null: nothing
   * to feed; it may throw to refuse). Null when the saga does not exist or,
   * with skipLocked, is busy.
   */
  async run(
    tx: SqlExecutor,
    orderId: string,
    inputFor: (row: SagaRow) => SagaInput | null,
    options: { causationId?: string; skipLocked?: boolean; now?: Date } = {},
  ): Promise<SagaRun | null> {
    const row = await lockSaga(tx, orderId, { skipLocked: options.skipLocked });
    if (!row) return null;
    const input = inputFor(row);
    if (!input) return { before: row, step: { state: row.state, commands: [] } };
    const now = options.now ?? new Date();
    const step = handle(row.state, input, now, this.policy);
    if (step.state === row.state) return { before: row, step }; // a duplicate or stale input: nothing changes

    await updateSaga(tx, orderId, step.state);
    const flow = { correlationId: row.correlationId, causationId: options.causationId };
    await this.outbox.enqueue(
      tx,
      commandEnvelopes(step.commands, { ...flow, causationId: flow.causationId ?? null }),
    );
    if (step.alert) {
      this.logger.error(
        { alert: step.alert },
        `placement saga parked: ${step.alert.operation} failed ${step.alert.attempts} times`,
      );
      sagaAlerts.inc({ operation: step.alert.operation });
    }
    if (step.orderDecision) {
      // Last: the append takes the event store's lock until commit.
      const order = await this.orders.load(orderId, { tx });
      const events = decide(order.state, step.orderDecision, now);
      await saveOrder(this.orders, this.outbox, tx, order, events, flow);
    }
    return { before: row, step };
  }
}

function decide(state: OrderState, decision: OrderDecision, now: Date): OrderEvent[] {
  switch (decision.type) {
    case 'confirm':
      return confirmOrder(state, decision.paymentId, now);
    case 'cancel':
      return cancelOrder(state, decision.reason, now, decision.detail);
    case 'recordPayment':
      return recordPaymentOutcome(state, decision.outcome, decision.paymentId, now);
  }
}
