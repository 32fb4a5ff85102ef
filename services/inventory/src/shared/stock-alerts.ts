import { uuidv7 } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import type { InventoryAlert } from '../domain';

/** Records an alert for operators (GET /inventory/alerts), in the transaction of the step that raised it. */
export async function recordAlert(tx: SqlExecutor, orderId: string, alert: InventoryAlert): Promise<void> {
  await tx.query(
    `INSERT INTO stock_alerts (id, kind, order_id, detail) VALUES ($1::uuid, $2, $3::uuid, $4::jsonb)`,
    [uuidv7(), alert.kind, orderId, JSON.stringify({ message: alert.message, ...alert.detail })],
  );
}

export interface StockAlertView {
  id: string;
  kind: string;
  orderId: string | null;
  detail: Record<string, unknown>;
  createdAt: Date;
}

export async function latestAlerts(sql: SqlExecutor, limit: number): Promise<StockAlertView[]> {
  return sql.query<StockAlertView>(
    `SELECT id, kind, order_id AS "orderId", detail, created_at AS "createdAt"
     FROM stock_alerts ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit],
  );
}
