import type { ExpectedVersion } from './events';

/**
 * The stream version an append must find, or null for 'any'. Throws on
 * values no stream can be at (negative, fractional, unknown keyword).
 */
export function requiredVersion(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no-stream') return 0;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new RangeError(
    `expectedVersion must be an integer >= 0, 'no-stream' or 'any' (got ${String(expected)})`,
  );
}

/** Whether a stream at `actual` satisfies `expected`. */
export function satisfies(expected: ExpectedVersion, actual: number): boolean {
  const required = requiredVersion(expected);
  return required === null || required === actual;
}

/**
 * The stream type (category) of a stream id by the `<type>-<id>` convention:
 * 'order-0190a3c4-...' -> 'order'. An id without '-' is its own type.
 */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}
