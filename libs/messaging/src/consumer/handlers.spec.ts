import { z } from 'zod';
import { defineMessage } from '@shop/contracts';
import { handle, handlerTable, topicsOf } from './handlers';

const schema = z.object({});
const OrderPlacedV1 = defineMessage({ type: 'OrderPlaced', version: 1, topic: 'order.events', schema });
const OrderPlacedV2 = defineMessage({ type: 'OrderPlaced', version: 2, topic: 'order.events', schema });
const StockReserved = defineMessage({ type: 'StockReserved', version: 1, topic: 'inventory.events', schema });
const noop = async () => undefined;

describe('handler registrations', () => {
  it('index handlers by type and derive the topics to subscribe to', () => {
    const registrations = [handle(OrderPlacedV2, noop), handle(StockReserved, noop)];
    expect([...handlerTable(registrations).keys()]).toEqual(['OrderPlaced', 'StockReserved']);
    expect(
      topicsOf([...registrations, handle(defineMessage({ ...StockReserved, type: 'X' }), noop)]),
    ).toEqual(['inventory.events', 'order.events']);
  });

  it('refuse two handlers for one type in a group, even for different versions', () => {
    expect(() => handlerTable([handle(OrderPlacedV1, noop), handle(OrderPlacedV2, noop)])).toThrow(
      /Two handlers for OrderPlaced/,
    );
  });
});
