import {
  AuthorizePaymentV1,
  INVENTORY_COMMANDS,
  INVENTORY_EVENTS,
  ORDER_EVENTS,
  OrderCancelledV1,
  PAYMENT_COMMANDS,
  PAYMENT_EVENTS,
  ReserveStockV1,
  TOPICS,
  VoidPaymentV1,
} from './index';
import { MessageRegistry } from './messages/message-registry';

const orderId = '0190f3a2-7b1c-7d4e-8f00-123456789abc';
const productId = '0190f3a2-7b1c-7d4e-8f00-000000000001';
const base = { source: 'test', aggregateId: orderId, aggregateVersion: 1 };

describe('order saga messages', () => {
  it('registers every message once, each on its domain topic', () => {
    const all = [
      ...ORDER_EVENTS,
      ...INVENTORY_COMMANDS,
      ...INVENTORY_EVENTS,
      ...PAYMENT_COMMANDS,
      ...PAYMENT_EVENTS,
    ];
    expect(() => new MessageRegistry(all)).not.toThrow();
    expect(new Set(ORDER_EVENTS.map((m) => m.topic))).toEqual(new Set([TOPICS.orderEvents.name]));
    expect(new Set(INVENTORY_COMMANDS.map((m) => m.topic))).toEqual(new Set([TOPICS.inventoryCommands.name]));
    expect(new Set(INVENTORY_EVENTS.map((m) => m.topic))).toEqual(new Set([TOPICS.inventoryEvents.name]));
    expect(new Set(PAYMENT_COMMANDS.map((m) => m.topic))).toEqual(new Set([TOPICS.paymentCommands.name]));
    expect(new Set(PAYMENT_EVENTS.map((m) => m.topic))).toEqual(new Set([TOPICS.paymentEvents.name]));
    expect([...INVENTORY_COMMANDS, ...PAYMENT_COMMANDS].every((m) => m.kind === 'command')).toBe(true);
  });

  it('accepts a well-formed command and rejects bad quantities and tokens', () => {
    const reserve = { orderId, items: [{ productId, quantity: 2 }] };
    expect(ReserveStockV1.create({ ...base, payload: reserve }).payload).toEqual(reserve);
    expect(() =>
      ReserveStockV1.create({ ...base, payload: { orderId, items: [{ productId, quantity: 0 }] } }),
    ).toThrow();
    expect(() => ReserveStockV1.create({ ...base, payload: { orderId, items: [] } })).toThrow();
    const authorize = { orderId, amountCents: 1999, currency: 'EUR', paymentToken: 'tok_ok' };
    expect(AuthorizePaymentV1.create({ ...base, payload: authorize }).payload).toEqual(authorize);
    for (const paymentToken of ['ok', 'tok_', 'tok_a b', `tok_${'x'.repeat(65)}`])
      expect(() => AuthorizePaymentV1.create({ ...base, payload: { ...authorize, paymentToken } })).toThrow();
  });

  it('lets a void name no payment, and a cancellation only a known reason', () => {
    expect(
      VoidPaymentV1.create({ ...base, payload: { orderId, paymentId: null } }).payload.paymentId,
    ).toBeNull();
    const cancelled = {
      orderId,
      customerId: 'c-1',
      reason: 'OUT_OF_STOCK' as const,
      cancelledAt: '2026-11-21T10:00:00Z',
    };
    expect(OrderCancelledV1.create({ ...base, payload: cancelled }).payload.reason).toBe('OUT_OF_STOCK');
    expect(() =>
      OrderCancelledV1.create({ ...base, payload: { ...cancelled, reason: 'BORED' as never } }),
    ).toThrow();
  });
});
