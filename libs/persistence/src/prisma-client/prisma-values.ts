/**
 * Rows from Prisma's raw queries, converted to the values node-postgres gives
 * by default, so a library reads the same types whichever SqlClient it is
 * handed: int8 as a decimal string (not bigint), numeric as a string (not a
 * Decimal object), bytea as a Buffer (not a bare Uint8Array). Other types
 * (int4, float8, text, uuid, bool, json, timestamptz, arrays) already agree.
 */
export function toPgRow(row: Record<string, unknown>): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) converted[column] = toPgValue(value);
  return converted;
}

export function toPgValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toPgValue);
  if (value instanceof Uint8Array) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (isDecimal(value)) return value.toFixed();
  return value;
}

// Prisma's Decimal is decimal.js, which tags its instances; checked by tag so
// this module does not load the Prisma runtime.
function isDecimal(value: unknown): value is { toFixed(): string } {
  return Object.prototype.toString.call(value) === '[object Decimal]';
}

/** A database error from Prisma, with its SQLSTATE in `code` like node-postgres errors. */
export class PrismaSqlError extends Error {
  override readonly name = 'PrismaSqlError';
  constructor(
    message: string,
    /** SQLSTATE, e.g. '23505' for a unique violation. */
    readonly code: string,
    readonly constraint: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

interface DriverAdapterCause {
  originalCode?: string;
  originalMessage?: string;
  constraint?: { index?: string };
}

/**
 * Prisma reports a failed raw query as P2010 with the driver's error inside
 * (`meta.driverAdapterError.cause`), and a failed commit (e.g. a serialization
 * failure) as a bare DriverAdapterError; this lifts the SQLSTATE out of both.
 * Anything else is returned unchanged.
 */
export function toSqlError(err: unknown): unknown {
  const cause = driverAdapterCause(err);
  if (!cause?.originalCode) return err;
  return new PrismaSqlError(
    cause.originalMessage ?? (err as Error).message,
    cause.originalCode,
    cause.constraint?.index,
    { cause: err },
  );
}

function driverAdapterCause(err: unknown): DriverAdapterCause | undefined {
  const candidate = err as {
    name?: string;
    cause?: DriverAdapterCause;
    meta?: { driverAdapterError?: { cause?: DriverAdapterCause } };
  } | null;
  if (candidate?.name === 'DriverAdapterError') return candidate.cause;
  return candidate?.meta?.driverAdapterError?.cause;
}
