import { ApiError, type CatalogEventDefinitions } from '@shop/contracts';
import type { OutboxWriter } from '@shop/messaging';
import { prismaSqlExecutor } from '@shop/persistence';
import { latestOf, type Product, type ProductChange } from '../../domain/product';
import type { CatalogDatabase } from '../../infrastructure/catalog-database';
import { asApiError, isUniqueViolation, productNotFound } from './product-errors';
import { eventsOf } from './product-events';
import { PRODUCT_COLUMNS, productFromRow, type ProductRow } from './product-row';

/**
 * The catalog's one write path (HTTP commands and the seed): the product row
 * and its events commit in ONE transaction (transactional outbox). Changes to
 * one product are serialized by its row lock, so its events enter the outbox
 * in version order.
 */
export class ProductStore {
  constructor(
    private readonly database: CatalogDatabase,
    private readonly outbox: OutboxWriter,
    private readonly events: CatalogEventDefinitions,
  ) {}

  /** Inserts a new product with its ProductCreated event; 409 when the SKU exists. */
  async insert(product: Product): Promise<void> {
    try {
      await this.database.prisma.$transaction(async (tx) => {
        await tx.product.create({ data: product });
        await this.outbox.enqueue(
          prismaSqlExecutor(tx),
          eventsOf(this.events, [{ kind: 'created', product }]),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ApiError('CONFLICT', `A product with SKU ${product.sku} already exists`);
      throw err;
    }
  }

  /**
   * Locks the product, lets `decide` compute the changes, writes the result
   * and its events. 404 for an unknown id, 409 when `expectedVersion` is
   * given and the product has moved on.
   */
  async change(
    id: string,
    decide: (product: Product) => ProductChange[],
    expectedVersion?: number,
  ): Promise<{ product: Product; changes: ProductChange[] }> {
    return this.database.prisma.$transaction(async (tx) => {
      const sql = prismaSqlExecutor(tx);
      const [row] = await sql.query<ProductRow>(
        `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1::uuid FOR UPDATE`,
        [id],
      );
      if (!row) throw productNotFound(id);
      const current = productFromRow(row);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new ApiError(
          'CONFLICT',
          `Product ${id} is at version ${current.version}, not ${expectedVersion}`,
          {
            currentVersion: current.version,
          },
        );
      }
      let changes: ProductChange[];
      try {
        changes = decide(current);
      } catch (err) {
        throw asApiError(err);
      }
      const product = latestOf(current, changes);
      if (changes.length > 0) {
        const { name, description, priceCents, status, version, updatedAt } = product;
        await tx.product.update({
          where: { id },
          data: { name, description, priceCents, status, version, updatedAt },
        });
        await this.outbox.enqueue(sql, eventsOf(this.events, changes));
      }
      return { product, changes };
    });
  }
}
