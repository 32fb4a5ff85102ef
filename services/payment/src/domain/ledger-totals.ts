import type { LedgerEntry } from './payment';

export interface LedgerTotals {
  authorizedCents: number;
  capturedCents: number;
  voidedCents: number;
  refundedCents: number;
  /** Captures minus refunds: the money the shop keeps for the order. */
  netCapturedCents: number;
}

export function ledgerTotals(entries: readonly LedgerEntry[]): LedgerTotals {
  const sum = (kind: LedgerEntry['kind']) =>
    entries.filter((entry) => entry.kind === kind).reduce((total, entry) => total + entry.amountCents, 0);
  const capturedCents = sum('CAPTURE');
  const refundedCents = sum('REFUND');
  return {
    authorizedCents: sum('AUTHORIZE'),
    capturedCents,
    voidedCents: sum('VOID'),
    refundedCents,
    netCapturedCents: capturedCents - refundedCents,
  };
}
