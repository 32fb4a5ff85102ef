import { z } from 'zod';
import { defineMessage, type MessageOf } from '../messages/message-definition';
import { TOPICS } from '../topics';

const uuid = z.uuid();

export const StockItemSchema = z.object({
  productId: uuid,
  quantity: z.number().int().positive(),
});

/**
 * Commands to inventory on `inventory.commands` and its replies on
 * `inventory.events`, all keyed by orderId (so the commands of one order
 * reach inventory in the order they were sent). Inventory applies each at
 * most once per order: a second ReserveStock for an order gets the first
 * answer again, a release or commit of an order already released or
 * committed changes nothing and is acknowledged again.
 */
export const ReserveStockV1 = defineMessage({
  kind: 'command',
  type: 'ReserveStock',
  version: 1,
  topic: TOPICS.inventoryCommands.name,
  schema: z.object({ orderId: uuid, items: z.array(StockItemSchema).min(1) }),
});

/**
 * Gives back whatever the order holds. With no reservation (never made, or
 * the release overtook it) inventory records the order as released, so a
 * later ReserveStock for it is refused: a compensated order never holds stock.
 */
export const ReleaseStockV1 = defineMessage({
  kind: 'command',
  type: 'ReleaseStock',
  version: 1,
  topic: TOPICS.inventoryCommands.name,
  schema: z.object({ orderId: uuid, reservationId: uuid.nullable() }),
});

/** Reserved -> sold, at confirmation. The saga awaits no reply; StockCommitted is published for observers. */
export const CommitStockV1 = defineMessage({
  kind: 'command',
  type: 'CommitStock',
  version: 1,
  topic: TOPICS.inventoryCommands.name,
  schema: z.object({ orderId: uuid, reservationId: uuid.nullable() }),
});

export const StockReservedV1 = defineMessage({
  type: 'StockReserved',
  version: 1,
  topic: TOPICS.inventoryEvents.name,
  schema: z.object({
    orderId: uuid,
    reservationId: uuid,
    items: z.array(StockItemSchema).min(1),
    expiresAt: z.iso.datetime({ offset: true }),
  }),
});

export const STOCK_RESERVATION_FAILURES = ['OUT_OF_STOCK', 'UNKNOWN_PRODUCT', 'ORDER_RELEASED'] as const;

export const StockReservationFailedV1 = defineMessage({
  type: 'StockReservationFailed',
  version: 1,
  topic: TOPICS.inventoryEvents.name,
  schema: z.object({
    orderId: uuid,
    reason: z.enum(STOCK_RESERVATION_FAILURES),
    /** The products that could not be reserved, with what was asked and what was available. */
    shortages: z.array(
      z.object({ productId: uuid, requested: z.number().int(), available: z.number().int().nonnegative() }),
    ),
  }),
});

export const StockReleasedV1 = defineMessage({
  type: 'StockReleased',
  version: 1,
  topic: TOPICS.inventoryEvents.name,
  schema: z.object({ orderId: uuid, reservationId: uuid.nullable() }),
});

/** Only for failures worth retrying (the saga retries, then parks); inventory normally just releases. */
export const StockReleaseFailedV1 = defineMessage({
  type: 'StockReleaseFailed',
  version: 1,
  topic: TOPICS.inventoryEvents.name,
  schema: z.object({ orderId: uuid, reason: z.string().min(1) }),
});

export const StockCommittedV1 = defineMessage({
  type: 'StockCommitted',
  version: 1,
  topic: TOPICS.inventoryEvents.name,
  schema: z.object({ orderId: uuid, reservationId: uuid, items: z.array(StockItemSchema).min(1) }),
});

export const INVENTORY_COMMANDS = [ReserveStockV1, ReleaseStockV1, CommitStockV1] as const;
export const INVENTORY_EVENTS = [
  StockReservedV1,
  StockReservationFailedV1,
  StockReleasedV1,
  StockReleaseFailedV1,
  StockCommittedV1,
] as const;

export type ReserveStockCommand = MessageOf<typeof ReserveStockV1>;
export type ReleaseStockCommand = MessageOf<typeof ReleaseStockV1>;
export type CommitStockCommand = MessageOf<typeof CommitStockV1>;
export type InventoryCommand = ReserveStockCommand | ReleaseStockCommand | CommitStockCommand;
export type StockReservedEvent = MessageOf<typeof StockReservedV1>;
export type StockReservationFailedEvent = MessageOf<typeof StockReservationFailedV1>;
export type StockReleasedEvent = MessageOf<typeof StockReleasedV1>;
export type StockReleaseFailedEvent = MessageOf<typeof StockReleaseFailedV1>;
export type StockCommittedEvent = MessageOf<typeof StockCommittedV1>;
export type InventoryEvent =
  | StockReservedEvent
  | StockReservationFailedEvent
  | StockReleasedEvent
  | StockReleaseFailedEvent
  | StockCommittedEvent;
