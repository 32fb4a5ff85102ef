import type { MessageEnvelope } from '@shop/contracts';
import { handleOnce, type OutboxWriter } from '@shop/messaging';
import type { SqlExecutor } from '@shop/persistence';
import { counter, type Logger } from '@shop/telemetry';
import { lockOrder, type ProductStock, type Reservation, type ReservationDecision } from '../domain';
import type { InventoryDatabase } from '../infrastructure/inventory-database';
import { replyEnvelope } from './inventory-replies';
import { lockReservation, saveReservation } from './reservation-sql';
import { recordAlert } from './stock-alerts';
import { applyMovements, lockStock, productStockMap } from './stock-sql';

/** One decision on one order's reservation. */
export interface ReservationStep {
  /** reserve, release, commit, expire: for logs and metrics. */
  name: string;
  orderId: string;
  /** Products the decision needs besides those the reservation already holds. */
  productIds?: readonly string[];
  decide(existing: Reservation | null, stock: ReadonlyMap<string, ProductStock>): ReservationDecision;
}

const decisions = counter('inventory_reservation_steps_total', 'Reservation decisions applied', [
  'step',
  'reply',
]);
const alerts = counter('inventory_alerts_total', 'Inventory alerts raised for operators', ['kind']);

/**
 * The one write path of reservations. In ONE transaction: lock the order's
 * reservation row, lock the stock rows involved in productId order, let the
 * pure domain decide, save the reservation, apply the stock movements
 * (conditional UPDATE), record an alert, and write the reply to the outbox.
 * Commands run it inside handleOnce, so the inbox record joins the same
 * transaction: a redelivered command changes nothing and publishes nothing.
 */
export class ReservationLedger {
  constructor(
    private readonly database: InventoryDatabase,
    private readonly outbox: OutboxWriter,
    private readonly logger: Logger,
  ) {}

  /** A command from Kafka: applied at most once per message id (inbox), replies caused by it. */
  async handleCommand(groupId: string, command: MessageEnvelope, step: ReservationStep): Promise<void> {
    let decision: ReservationDecision | undefined;
    const outcome = await handleOnce(this.database.sql, groupId, command, async (tx) => {
      decision = await this.decideIn(tx, step, command);
    });
    if (outcome === 'applied' && decision) this.report(step, decision);
  }

  /** A step nobody sent (the expiry sweeper): replies continue the reservation's own flow. */
  async apply(step: ReservationStep): Promise<ReservationDecision> {
    const decision = await this.database.sql.transaction((tx) => this.decideIn(tx, step, null));
    this.report(step, decision);
    return decision;
  }

  private async decideIn(
    tx: SqlExecutor,
    step: ReservationStep,
    command: MessageEnvelope | null,
  ): Promise<ReservationDecision> {
    const record = await lockReservation(tx, step.orderId);
    const held = record?.reservation.items.map((item) => item.productId) ?? [];
    const stock = await lockStock(tx, lockOrder([...held, ...(step.productIds ?? [])]));
    const decision = step.decide(record?.reservation ?? null, productStockMap(stock));

    const flow = command
      ? { correlationId: command.correlationId, causationId: command.id }
      : record && { correlationId: record.correlationId, causationId: record.causationId };
    if (!flow) return decision; // nothing sent it and nothing exists: nothing to do
    if (decision.next) await saveReservation(tx, decision.next, record, flow);
    await applyMovements(tx, decision.movements);
    if (decision.alert) await recordAlert(tx, step.orderId, decision.alert);
    if (decision.reply) {
      const version = decision.next?.version ?? record?.reservation.version ?? 1;
      await this.outbox.enqueue(
        tx,
        replyEnvelope(decision.reply, { orderId: step.orderId, version, ...flow }),
      );
    }
    return decision;
  }

  private report(step: ReservationStep, decision: ReservationDecision): void {
    decisions.inc({ step: step.name, reply: decision.reply?.type ?? 'none' });
    if (decision.alert) {
      alerts.inc({ kind: decision.alert.kind });
      this.logger.error(
        { alert: decision.alert.kind, orderId: step.orderId, ...decision.alert.detail },
        decision.alert.message,
      );
    }
    if (decision.notice) this.logger.warn({ orderId: step.orderId }, decision.notice);
  }
}
