import {
  StockCommittedV1,
  StockReleasedV1,
  StockReleaseFailedV1,
  StockReservationFailedV1,
  StockReservedV1,
  type MessageEnvelope,
} from '@shop/contracts';
import type { InventoryReply } from '../domain';

export const SOURCE = 'inventory';

/** Where a reply sits in the order's flow. */
export interface ReplyContext {
  orderId: string;
  /** The reservation's version after the step. */
  version: number;
  correlationId: string;
  causationId: string;
}

/** The contract's envelope for a domain reply (keyed by orderId, like the commands). */
export function replyEnvelope(reply: InventoryReply, context: ReplyContext): MessageEnvelope {
  const { orderId } = context;
  const envelope = {
    source: SOURCE,
    aggregateId: orderId,
    aggregateVersion: context.version,
    correlationId: context.correlationId,
    causationId: context.causationId,
  };
  switch (reply.type) {
    case 'StockReserved':
      return StockReservedV1.create({
        ...envelope,
        payload: {
          orderId,
          reservationId: reply.reservationId,
          items: reply.items,
          expiresAt: reply.expiresAt.toISOString(),
        },
      });
    case 'StockReservationFailed':
      return StockReservationFailedV1.create({
        ...envelope,
        payload: { orderId, reason: reply.reason, shortages: reply.shortages },
      });
    case 'StockReleased':
      return StockReleasedV1.create({
        ...envelope,
        payload: { orderId, reservationId: reply.reservationId },
      });
    case 'StockReleaseFailed':
      return StockReleaseFailedV1.create({ ...envelope, payload: { orderId, reason: reply.reason } });
    case 'StockCommitted':
      return StockCommittedV1.create({
        ...envelope,
        payload: { orderId, reservationId: reply.reservationId, items: reply.items },
      });
  }
}
