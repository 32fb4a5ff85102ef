/**
 * Price rules. Prices are integer minor units (cents) and must be positive:
 * a negative price is meaningless, and 0 is refused too, because an order
 * line of 0 cannot be authorized or captured by payment (free items are a
 * promotion of the order service, not a catalog price).
 */
export const MAX_PRICE_CENTS = 100_000_000_00; // 100 million in major units: beyond it, a typo

export function priceProblem(priceCents: unknown): string | undefined {
  if (typeof priceCents !== 'number' || !Number.isInteger(priceCents))
    return 'must be an integer number of cents';
  if (priceCents <= 0) return 'must be greater than 0';
  if (priceCents > MAX_PRICE_CENTS) return `must be at most ${MAX_PRICE_CENTS}`;
  return undefined;
}

// ISO 4217 alphabetic codes the runtime knows (ICU data), e.g. EUR, USD, JPY.
const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

/** 'eur' -> 'EUR'; undefined when it is not an ISO 4217 code. */
export function normalizeCurrency(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) && ISO_4217.has(code) ? code : undefined;
}
