import { ApiError } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import { applyMovement, StockRuleViolation, type StockMovement } from '../domain';
import type { InventoryDatabase } from '../infrastructure/inventory-database';
import { productNotFound, stockView, type StockView } from '../read-stock/stock-view';
import { applyMovements, lockStock } from '../shared/stock-sql';

/**
 * Adds units to a product (available and restocked grow together). With an
 * Idempotency-Key the key is claimed in the same transaction: a retry (even a
 * concurrent one, which waits on the key's unique index) gets the first
 * answer back and adds nothing; the same key with another product or
 * quantity is refused (422), since it is not a retry.
 */
export class RestockHandler {
  constructor(private readonly database: InventoryDatabase) {}

  async execute(anyCaseProductId: string, quantity: number, idempotencyKey?: string): Promise<StockView> {
    const productId = anyCaseProductId.toLowerCase(); // as Postgres prints it, for the key comparison
    return this.database.sql.transaction(async (tx) => {
      if (idempotencyKey) {
        const earlier = await claimKey(tx, idempotencyKey, productId, quantity);
        if (earlier) return earlier;
      }
      const [row] = await lockStock(tx, [productId]);
      if (!row) throw productNotFound(productId);
      const movement: StockMovement = { productId, kind: 'restock', quantity };
      let after;
      try {
        after = applyMovement(row, movement);
      } catch (err) {
        if (err instanceof StockRuleViolation) throw new ApiError('UNPROCESSABLE', err.message);
        throw err;
      }
      await applyMovements(tx, [movement]);
      const view = stockView({ ...row, ...after });
      if (idempotencyKey)
        await tx.query(`UPDATE restock_requests SET response = $2::jsonb WHERE idempotency_key = $1`, [
          idempotencyKey,
          JSON.stringify(view),
        ]);
      return view;
    });
  }
}

/** Claims the key for this restock; returns the first answer if the key was used before for the same restock. */
async function claimKey(
  tx: SqlExecutor,
  key: string,
  productId: string,
  quantity: number,
): Promise<StockView | undefined> {
  const claimed = await tx.query(
    `INSERT INTO restock_requests (idempotency_key, product_id, quantity, response)
     VALUES ($1, $2::uuid, $3, 'null'::jsonb) ON CONFLICT DO NOTHING RETURNING 1`,
    [key, productId, quantity],
  );
  if (claimed.length === 1) return undefined;
  const [earlier] = await tx.query<{ productId: string; quantity: number; response: StockView }>(
    `SELECT product_id AS "productId", quantity, response FROM restock_requests WHERE idempotency_key = $1`,
    [key],
  );
  if (!earlier || earlier.productId !== productId || earlier.quantity !== quantity)
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another restock', {
      productId: earlier?.productId,
      quantity: earlier?.quantity,
    });
  return earlier.response;
}
