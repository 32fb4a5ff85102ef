import { uuidv7 } from '@shop/contracts';
import type { OutboxWriter } from '@shop/messaging';
import type { SqlClient } from '@shop/persistence';
import { initialOrderState, placeOrder, startSaga, type OrderEvent, type SagaPolicy } from '../domain';
import { commandEnvelopes } from '../placement-saga/saga-contracts';
import { insertSaga } from '../placement-saga/saga-store';
import { lookupPrices } from '../price-replica/price-book';
import { asApiError } from '../shared/order-errors';
import { saveOrder, type OrderRepository } from '../shared/order-stream';
import {
  claimIdempotencyKey,
  findIdempotencyRecord,
  replay,
  requestHash,
  type IdempotencyRecord,
} from './idempotency';
import type { PlaceOrderAccepted, PlaceOrderBody } from './place-order.dto';

export interface PlaceOrderRequest {
  customerId: string;
  idempotencyKey: string;
  body: PlaceOrderBody;
}

/** Thrown inside the transaction to roll it back when a concurrent duplicate won the key. */
class KeyTaken extends Error {}

export class PlaceOrderHandler {
  constructor(
    private readonly sql: SqlClient,
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    private readonly policy: SagaPolicy,
  ) {}

  /**
   * Prices the order from the replica, then in ONE transaction: the
   * idempotency record, the saga row, the saga's first commands in the
   * outbox, and OrderPlaced in the order's new stream (with its integration
   * event). A repeat of the key answers what the first request answered.
   */
  async execute({ customerId, idempotencyKey, body }: PlaceOrderRequest): Promise<IdempotencyRecord> {
    const hash = requestHash(body);
    const previous = await findIdempotencyRecord(this.sql, customerId, idempotencyKey);
    if (previous) return replay(previous, hash);

    const orderId = uuidv7();
    const now = new Date();
    const priceBook = await lookupPrices(
      this.sql,
      body.items.map((i) => i.productId),
    );
    let events: OrderEvent[];
    try {
      events = placeOrder({ orderId, customerId, items: body.items }, priceBook, now);
    } catch (err) {
      throw asApiError(err);
    }
    const placed = events.find((e) => e.type === 'OrderPlaced')!.payload;
    const saga = startSaga(
      {
        orderId,
        items: placed.lines.map(({ productId, quantity }) => ({ productId, quantity })),
        amountCents: placed.totalCents,
        currency: placed.currency,
        paymentToken: body.paymentMethod.token,
      },
      now,
      this.policy,
    );
    const response: PlaceOrderAccepted = { orderId, status: 'PENDING', statusUrl: `/orders/${orderId}` };
    const record: IdempotencyRecord = { requestHash: hash, statusCode: 202, response };
    const correlationId = uuidv7();

    try {
      await this.sql.transaction(async (tx) => {
        if (!(await claimIdempotencyKey(tx, customerId, idempotencyKey, { ...record, orderId })))
          throw new KeyTaken();
        await insertSaga(tx, { orderId, customerId, correlationId, state: saga.state });
        await this.outbox.enqueue(tx, commandEnvelopes(saga.commands, { correlationId, causationId: null }));
        // Version 0 expected: a new stream ('no-stream').
        const fresh = { id: orderId, state: initialOrderState, version: 0 };
        await saveOrder(this.orders, this.outbox, tx, fresh, events, { correlationId });
      });
    } catch (err) {
      if (!(err instanceof KeyTaken)) throw err;
      const winner = await findIdempotencyRecord(this.sql, customerId, idempotencyKey);
      if (!winner) throw new Error('idempotency key taken but its record is gone');
      return replay(winner, hash);
    }
    return record;
  }
}
