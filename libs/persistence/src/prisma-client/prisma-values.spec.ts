import { Decimal } from '@prisma/client/runtime/client';
import { sqlState } from '../sql-client';
import { PrismaSqlError, toPgRow, toPgValue, toSqlError } from './prisma-values';

describe('Prisma raw values as node-postgres returns them', () => {
  it('converts int8, numeric and bytea, also inside arrays', () => {
    expect(toPgValue(9007199254740993n)).toBe('9007199254740993');
    expect(toPgValue(new Decimal('12345678901234567890.125'))).toBe('12345678901234567890.125');
    expect(toPgValue(new Decimal('0.0000001'))).toBe('0.0000001');
    expect(toPgValue([1n, 2n])).toEqual(['1', '2']);
    const bytes = toPgValue(new Uint8Array([1, 2, 3]).subarray(1));
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes).toEqual(Buffer.from([2, 3]));
  });

  it('leaves the types both drivers agree on alone', () => {
    const at = new Date();
    const doc = { a: [1, 2] };
    expect(toPgRow({ n: 1, s: 'x', b: true, at, doc, none: null })).toEqual({
      n: 1,
      s: 'x',
      b: true,
      at,
      doc,
      none: null,
    });
    expect(toPgValue(doc)).toBe(doc);
  });
});

describe('Prisma errors with the SQLSTATE lifted out', () => {
  it('unwraps a failed raw query (P2010)', () => {
    const prismaError = Object.assign(new Error('Raw query failed'), {
      code: 'P2010',
      meta: {
        driverAdapterError: {
          cause: {
            originalCode: '23505',
            originalMessage: 'duplicate key',
            constraint: { index: 'widget_name_key' },
          },
        },
      },
    });
    const err = toSqlError(prismaError) as PrismaSqlError;
    expect(err).toBeInstanceOf(PrismaSqlError);
    expect([err.code, err.message, err.constraint, err.cause]).toEqual([
      '23505',
      'duplicate key',
      'widget_name_key',
      prismaError,
    ]);
    expect(sqlState(err)).toBe('23505');
  });

  it('unwraps a bare driver adapter error (a failed commit)', () => {
    const adapterError = Object.assign(new Error('TransactionWriteConflict'), {
      name: 'DriverAdapterError',
      cause: { originalCode: '40001', originalMessage: 'could not serialize access' },
    });
    expect(sqlState(toSqlError(adapterError))).toBe('40001');
  });

  it('passes other errors through unchanged', () => {
    const plain = new Error('boom');
    expect(toSqlError(plain)).toBe(plain);
    expect(toSqlError(undefined)).toBeUndefined();
    expect(sqlState(Object.assign(new Error('x'), { code: 'P2010' }))).toBeUndefined();
    expect(sqlState(Object.assign(new Error('raise'), { code: 'P0001' }))).toBe('P0001');
  });
});
