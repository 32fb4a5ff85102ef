import { randomUUID } from 'node:crypto';
import type { Stack } from '@shop/local-infra';
import { waitFor } from '@shop/testing';
import { call, identityHeaders, type LooseJson } from './http';

export const TERMINAL_ORDER_STATUSES = ['CONFIRMED', 'CANCELLED'];

/** An order to look up: its customer reads it; without one, an admin does. */
export type OrderRef = Pick<PlacedOrder, 'orderId'> & { customerId?: string };

export interface PlacedOrder {
  orderId: string;
  customerId: string;
  idempotencyKey: string;
}

/**
 * What the suites do to the shop, straight at the services (the gateway's
 * identity headers signed with the stack's secret). One place that knows the
 * services' endpoints.
 */
export class ShopDriver {
  constructor(private readonly stack: Stack) {}

  /**
   * Places orders one after another until they have come back CONFIRMED,
   * each within `fastMs`, for `steadyMs` in a row: every consumer group has
   * joined and stays joined. On the dev broker a group whose second member
   * joins can crash a member and stall up to a session timeout, sometimes
   * twice (see docs/development.md); one confirmed order could come from a
   * lull between two such stalls, and the next order would then time out.
   * Suites call this before they assert on outcomes.
   */
  async warmUp({ timeoutMs = 180_000, steadyMs = 15_000, fastMs = 5_000 } = {}): Promise<void> {
    const productId = await this.createStockedProduct(1_000);
    const deadline = Date.now() + timeoutMs;
    const outcomes: string[] = [];
    let steadySince: number | undefined;
    while (Date.now() < deadline) {
      const placedAt = Date.now();
      const view = await this.settled(await this.placeOrder([{ productId, quantity: 1 }]));
      const tookMs = Date.now() - placedAt;
      if (view.status === 'CONFIRMED' && tookMs <= fastMs) {
        steadySince ??= placedAt;
        if (Date.now() - steadySince >= steadyMs) return;
      } else {
        steadySince = undefined;
        outcomes.push(`${view.cancellationReason ?? view.status} in ${tookMs} ms`);
      }
    }
    throw new Error(
      `orders were not confirmed steadily within ${timeoutMs} ms (${outcomes.join(', ')}): the saga does not run`,
    );
  }

  admin(): Record<string, string> {
    return identityHeaders(this.stack.secret('IDENTITY_HMAC_SECRET'), 'e2e-admin', ['admin']);
  }

  customer(customerId: string): Record<string, string> {
    return identityHeaders(this.stack.secret('IDENTITY_HMAC_SECRET'), customerId, ['customer']);
  }

  /** A product in the catalog, known to inventory and to the order service's price replica, with `stock` units. */
  async createStockedProduct(stock: number, priceCents = 1_999): Promise<string> {
    const sku = `E2E-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await call(this.stack.urlOf('catalog'), 'POST', '/products', {
      headers: this.admin(),
      body: { sku, name: `Test product ${sku}`, priceCents, currency: 'EUR' },
    });
    if (created.status !== 201)
      throw new Error(`create product: ${created.status} ${JSON.stringify(created.body)}`);
    const productId = created.body.id as string;
    await waitFor(async () => (await this.stock(productId)) !== undefined, {
      timeoutMs: 30_000,
      describe: () => `inventory never learned of ${productId}`,
    });
    if (stock > 0) await this.restock(productId, stock);
    return productId;
  }

  async restock(productId: string, quantity: number): Promise<void> {
    const answer = await call(this.stack.urlOf('inventory'), 'POST', `/inventory/${productId}/restock`, {
      headers: { ...this.admin(), 'idempotency-key': randomUUID() },
      body: { quantity },
    });
    if (answer.status >= 300) throw new Error(`restock: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  /** { available, reserved, sold, restocked } or undefined while inventory does not know the product. */
  async stock(productId: string): Promise<LooseJson> {
    const answer = await call(this.stack.urlOf('inventory'), 'GET', `/inventory/${productId}`, {
      headers: this.admin(),
    });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new Error(`stock: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /**
   * POST /orders; retries while the order service's price replica has not
   * heard of a just-created product (422 PRODUCTS_UNAVAILABLE), with the
   * same idempotency key.
   */
  async placeOrder(
    items: { productId: string; quantity: number }[],
    token = 'tok_ok',
    customerId = `customer-${randomUUID()}`,
    orderUrl?: string,
  ): Promise<PlacedOrder> {
    const idempotencyKey = randomUUID();
    let last: LooseJson;
    await waitFor(
      async () => {
        try {
          last = await call(orderUrl ?? this.stack.urlOf('order'), 'POST', '/orders', {
            headers: { ...this.customer(customerId), 'idempotency-key': idempotencyKey },
            body: { items, paymentMethod: { token } },
          });
        } catch (error) {
          // The instance died mid-request (chaos suites): the same key makes the retry safe.
          last = { status: 0, body: String(error) };
          return false;
        }
        return last.status === 202;
      },
      { timeoutMs: 30_000, describe: () => `POST /orders: ${last?.status} ${JSON.stringify(last?.body)}` },
    );
    return { orderId: last.body.orderId as string, customerId, idempotencyKey };
  }

  /** The order's read model (GET /orders/:id), as its customer, or as an admin when the customer is not known. */
  async order(placed: OrderRef, url?: string): Promise<LooseJson> {
    const answer = await call(url ?? this.stack.urlOf('order'), 'GET', `/orders/${placed.orderId}`, {
      headers: placed.customerId ? this.customer(placed.customerId) : this.admin(),
    });
    return answer.status === 200 ? answer.body : undefined;
  }

  /** Waits until the view shows CONFIRMED or CANCELLED, and returns it. */
  settled(placed: OrderRef, timeoutMs = 90_000): Promise<LooseJson> {
    return this.orderWhen(placed, (view) => TERMINAL_ORDER_STATUSES.includes(view.status), timeoutMs);
  }

  /** Waits until the order's view satisfies `condition`, and returns it. */
  async orderWhen(
    placed: OrderRef,
    condition: (view: LooseJson) => boolean,
    timeoutMs = 90_000,
  ): Promise<LooseJson> {
    let view: LooseJson;
    await waitFor(
      async () => {
        view = await this.order(placed).catch(() => undefined); // an instance may be down for a moment
        return view !== undefined && condition(view);
      },
      { timeoutMs, describe: () => `order ${placed.orderId}: ${JSON.stringify(view)}` },
    );
    return view;
  }

  /** The payment of an order and its ledger entries (payment's admin endpoint); undefined when none. */
  async payment(orderId: string): Promise<LooseJson> {
    const answer = await call(this.stack.urlOf('payment'), 'GET', `/payments/orders/${orderId}`, {
      headers: this.admin(),
    });
    return answer.status === 200 ? answer.body : undefined;
  }

  async setProviderFaults(settings: { failureRate: number; latencyMs: number }): Promise<void> {
    const answer = await call(this.stack.urlOf('payment'), 'PUT', '/payments/admin/provider', {
      headers: this.admin(),
      body: settings,
    });
    if (answer.status >= 300)
      throw new Error(`provider faults: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  async notifications(customerId: string): Promise<LooseJson[]> {
    const answer = await call(this.stack.urlOf('notification'), 'GET', '/notifications', {
      headers: this.customer(customerId),
    });
    if (answer.status !== 200)
      throw new Error(`notifications: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.items as LooseJson[];
  }

  async rebuildOrderView(): Promise<LooseJson> {
    const answer = await call(this.stack.urlOf('order'), 'POST', '/admin/order-view/rebuild', {
      headers: this.admin(),
      timeoutMs: 120_000,
    });
    if (answer.status >= 300) throw new Error(`rebuild: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
