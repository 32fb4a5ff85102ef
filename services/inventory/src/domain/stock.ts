/**
 * Stock arithmetic of one product. Every unit the shop ever received is in
 * exactly one bucket: available (can be reserved), reserved (held for an
 * order), sold (committed). So at every moment
 *
 *   restocked = available + reserved + sold, and no bucket is negative.
 *
 * Units only move between buckets through the movements below, each of which
 * keeps that sum; the database repeats the rule as CHECK constraints.
 */
export interface StockLevel {
  available: number;
  reserved: number;
  sold: number;
  restocked: number;
}

export type MovementKind = 'reserve' | 'release' | 'commit' | 'sell' | 'restock';

/** Units of one product moving between buckets. */
export interface StockMovement {
  productId: string;
  kind: MovementKind;
  quantity: number;
}

/** Postgres `integer`: no bucket may exceed it. */
export const MAX_UNITS = 2_147_483_647;

/** Most units one restock may add (a typo guard: 100,000 is a lorry, not a shelf). */
export const MAX_RESTOCK_QUANTITY = 100_000;

const DELTAS: Record<MovementKind, StockLevel> = {
  reserve: { available: -1, reserved: 1, sold: 0, restocked: 0 },
  release: { available: 1, reserved: -1, sold: 0, restocked: 0 },
  commit: { available: 0, reserved: -1, sold: 1, restocked: 0 },
  /** Straight from available to sold: a commit whose reservation had expired re-takes its units. */
  sell: { available: -1, reserved: 0, sold: 1, restocked: 0 },
  restock: { available: 1, reserved: 0, sold: 0, restocked: 1 },
};

/** How each bucket changes (the adapter turns this into one conditional UPDATE). */
export function deltaOf(movement: Pick<StockMovement, 'kind' | 'quantity'>): StockLevel {
  if (!Number.isInteger(movement.quantity) || movement.quantity <= 0)
    throw new StockRuleViolation(
      `a movement moves a positive whole number of units, not ${movement.quantity}`,
    );
  const unit = DELTAS[movement.kind];
  return {
    available: unit.available * movement.quantity,
    reserved: unit.reserved * movement.quantity,
    sold: unit.sold * movement.quantity,
    restocked: unit.restocked * movement.quantity,
  };
}

/** A movement the stock cannot take (it would make a bucket negative or overflow). */
export class StockRuleViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StockRuleViolation';
  }
}

export function applyMovement(
  level: StockLevel,
  movement: Pick<StockMovement, 'kind' | 'quantity'>,
): StockLevel {
  const delta = deltaOf(movement);
  const next: StockLevel = {
    available: level.available + delta.available,
    reserved: level.reserved + delta.reserved,
    sold: level.sold + delta.sold,
    restocked: level.restocked + delta.restocked,
  };
  for (const bucket of ['available', 'reserved', 'sold', 'restocked'] as const) {
    if (next[bucket] < 0)
      throw new StockRuleViolation(`${movement.kind} of ${movement.quantity} would make ${bucket} negative`);
    if (next[bucket] > MAX_UNITS)
      throw new StockRuleViolation(
        `${movement.kind} of ${movement.quantity} would exceed ${MAX_UNITS} ${bucket}`,
      );
  }
  return next;
}

/** The chaos suite's invariant for one product. */
export function stockInvariantHolds(level: StockLevel): boolean {
  return (
    level.available >= 0 &&
    level.reserved >= 0 &&
    level.sold >= 0 &&
    level.restocked === level.available + level.reserved + level.sold
  );
}

export const EMPTY_STOCK: StockLevel = Object.freeze({ available: 0, reserved: 0, sold: 0, restocked: 0 });
