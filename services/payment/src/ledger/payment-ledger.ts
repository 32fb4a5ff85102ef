import { uuidv7 } from '@shop/contracts';
import type { SqlClient, SqlExecutor } from '@shop/persistence';
import type { DeclineReason, EntryKind, LedgerChange, LedgerEntry, Payment, PaymentStatus } from '../domain';

interface PaymentRow {
  id: string;
  order_id: string;
  status: PaymentStatus;
  amount_cents: number | null;
  currency: string | null;
  decline_reason: DeclineReason | null;
  provider_authorization_id: string | null;
  version: number;
}
interface EntryRow {
  kind: EntryKind;
  amount_cents: number;
  currency: string;
  provider_reference: string;
  created_at: Date;
}

export interface StoredLedgerEntry extends LedgerEntry {
  createdAt: Date;
}

const PAYMENT_COLUMNS =
  'id, order_id, status, amount_cents, currency, decline_reason, provider_authorization_id, version';

/**
 * The ledger tables (payments, ledger_entries) behind the domain's Payment.
 * Writes happen inside the caller's transaction (the inbox's), after `lock`:
 * one order's changes are serialized, so its replies enter the outbox in
 * order. The database's constraints back the domain rules (see the init
 * migration): a second capture or a capture without authorization fails
 * there too.
 */
export class PaymentLedger {
  constructor(private readonly sql: SqlClient) {}

  /** The order's payment as last committed (no lock): for deciding whether to call the provider. */
  find(orderId: string, executor: SqlExecutor = this.sql): Promise<Payment | null> {
    return this.read(executor, orderId, '');
  }

  /** Serializes the order's changes for the rest of `tx`, then reads its payment. */
  async lock(tx: SqlExecutor, orderId: string): Promise<Payment | null> {
    // An advisory lock also covers the order that has no payment row yet.
    await tx.query(`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('payment:' || $1))`, [orderId]);
    return this.read(tx, orderId, 'FOR UPDATE');
  }

  async apply(tx: SqlExecutor, change: LedgerChange): Promise<void> {
    const { payment, previousStatus } = change;
    const values = [
      payment.id,
      payment.status,
      payment.amountCents,
      payment.currency,
      payment.declineReason,
      payment.providerAuthorizationId,
      payment.version,
    ];
    if (previousStatus === null) {
      await tx.query(
        `INSERT INTO payments (id, status, amount_cents, currency, decline_reason, provider_authorization_id, version, order_id)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::uuid)`,
        [...values, payment.orderId],
      );
    } else {
      const updated = await tx.query(
        `UPDATE payments SET status = $2, amount_cents = $3, currency = $4, decline_reason = $5,
           provider_authorization_id = $6, version = $7, updated_at = now()
         WHERE id = $1::uuid AND status = $8 AND version = $7 - 1 RETURNING 1`,
        [...values, previousStatus],
      );
      if (updated.length !== 1) throw new Error(`payment ${payment.id} changed under the lock`);
    }
    for (const entry of change.newEntries) {
      await tx.query(
        `INSERT INTO ledger_entries (id, payment_id, order_id, kind, amount_cents, currency, provider_reference)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7)`,
        [
          uuidv7(),
          payment.id,
          payment.orderId,
          entry.kind,
          entry.amountCents,
          entry.currency,
          entry.providerReference,
        ],
      );
    }
  }

  /**
   * Records that an authorize timed out, outside any inbox transaction (the
   * command is not done: it will be retried). Whoever handles the order next
   * sees that money may be held. A row already there wins.
   */
  async recordUnknownAuthorization(payment: Payment): Promise<void> {
    await this.sql.query(
      `INSERT INTO payments (id, order_id, status, amount_cents, currency, version)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING`,
      [payment.id, payment.orderId, payment.status, payment.amountCents, payment.currency, payment.version],
    );
  }

  /** The entries with their times, for the admin view. */
  async entries(paymentId: string): Promise<StoredLedgerEntry[]> {
    const rows = await this.sql.query<EntryRow>(
      `SELECT kind, amount_cents, currency, provider_reference, created_at FROM ledger_entries
       WHERE payment_id = $1::uuid ORDER BY created_at, id`,
      [paymentId],
    );
    return rows.map((row) => ({ ...entryOf(row), createdAt: row.created_at }));
  }

  private async read(executor: SqlExecutor, orderId: string, lockClause: string): Promise<Payment | null> {
    const [row] = await executor.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1::uuid ${lockClause}`,
      [orderId],
    );
    if (!row) return null;
    const entries = await executor.query<EntryRow>(
      `SELECT kind, amount_cents, currency, provider_reference, created_at FROM ledger_entries
       WHERE payment_id = $1::uuid ORDER BY created_at, id`,
      [row.id],
    );
    return {
      id: row.id,
      orderId: row.order_id,
      status: row.status,
      amountCents: row.amount_cents,
      currency: row.currency?.trim() ?? null,
      declineReason: row.decline_reason,
      providerAuthorizationId: row.provider_authorization_id,
      version: row.version,
      entries: entries.map(entryOf),
    };
  }
}

function entryOf(row: EntryRow): LedgerEntry {
  return {
    kind: row.kind,
    amountCents: row.amount_cents,
    currency: row.currency.trim(),
    providerReference: row.provider_reference,
  };
}
