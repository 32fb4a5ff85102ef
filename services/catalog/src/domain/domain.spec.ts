import { normalizeCurrency, priceProblem } from './money';
import { offsetOf, pageCount, pageOf } from './pagination';
import {
  changeProduct,
  createProduct,
  discontinueProduct,
  latestOf,
  ProductRuleViolation,
  ProductStateConflict,
  type Product,
} from './product';
import { searchTerms, toPrefixTsQuery } from './search-terms';
import { normalizeSku } from './sku';

const now = new Date('2026-11-21T10:00:00Z');
const later = new Date('2026-11-21T11:00:00Z');
const id = '0193a1b2-0000-7000-8000-000000000001';

function product(overrides: Partial<Product> = {}): Product {
  return {
    ...createProduct({ sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'EUR' }, id, now),
    ...overrides,
  };
}

describe('price rules', () => {
  it.each([1, 1999, 100_000_000_00])('accepts %d cents', (cents) =>
    expect(priceProblem(cents)).toBeUndefined(),
  );
  it.each([
    [0, 'must be greater than 0'],
    [-5, 'must be greater than 0'],
    [12.5, 'must be an integer number of cents'],
    ['12', 'must be an integer number of cents'],
    [Number.NaN, 'must be an integer number of cents'],
    [100_000_000_01, 'must be at most 10000000000'],
  ])('refuses %p: %s', (cents, problem) => expect(priceProblem(cents)).toBe(problem));
});

describe('currency rules', () => {
  it('upper-cases ISO 4217 codes', () => {
    expect(normalizeCurrency('eur')).toBe('EUR');
    expect(normalizeCurrency(' JPY ')).toBe('JPY');
  });
  it.each(['EU', 'EURO', 'XYZ', 'E1R', ''])('refuses %p', (code) =>
    expect(normalizeCurrency(code)).toBeUndefined(),
  );
});

describe('SKU normalization', () => {
  it('trims, joins spaces and underscores with "-", upper-cases', () => {
    expect(normalizeSku('  kit-mug 001 ')).toBe('KIT-MUG-001');
    expect(normalizeSku('kit_mug__001')).toBe('KIT-MUG-001');
    expect(normalizeSku('a.b-1')).toBe('A.B-1');
  });
  it.each(['', 'x', '-abc', 'mug#1', 'M'.repeat(65)])('refuses %p', (sku) =>
    expect(normalizeSku(sku)).toBeUndefined(),
  );
});

describe('product', () => {
  it('is created active at version 1 with normalized SKU, currency and trimmed text', () => {
    const created = createProduct(
      { sku: ' mug 1 ', name: ' Mug ', description: ' Big ', priceCents: 1200, currency: 'eur' },
      id,
      now,
    );
    expect(created).toEqual({
      id,
      sku: 'MUG-1',
      name: 'Mug',
      description: 'Big',
      priceCents: 1200,
      currency: 'EUR',
      status: 'active',
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  });

  it.each([
    [{ sku: '#' }, 'sku'],
    [{ currency: 'XXQ' }, 'currency'],
    [{ priceCents: -1 }, 'priceCents'],
    [{ priceCents: 0 }, 'priceCents'],
    [{ name: '   ' }, 'name'],
  ])('refuses %p (field %s)', (bad, field) => {
    const input = { sku: 'MUG-1', name: 'Mug', priceCents: 1200, currency: 'EUR', ...bad };
    expect(() => createProduct(input, id, now)).toThrow(expect.objectContaining({ field }));
    expect(() => createProduct(input, id, now)).toThrow(ProductRuleViolation);
  });

  it('changes the price with one version step and remembers the previous price', () => {
    const changes = changeProduct(product(), { priceCents: 1500 }, later);
    expect(changes).toEqual([
      {
        kind: 'price-changed',
        previousPriceCents: 1200,
        product: expect.objectContaining({ priceCents: 1500, version: 2, updatedAt: later }),
      },
    ]);
  });

  it('emits details first, then price, each with its own version', () => {
    const changes = changeProduct(product(), { name: 'Cup', priceCents: 900 }, later);
    expect(changes.map((c) => [c.kind, c.product.version])).toEqual([
      ['details-changed', 2],
      ['price-changed', 3],
    ]);
    expect(latestOf(product(), changes)).toMatchObject({ name: 'Cup', priceCents: 900, version: 3 });
  });

  it('changes nothing when the values are the same', () => {
    expect(changeProduct(product(), { name: 'Mug ', priceCents: 1200 }, later)).toEqual([]);
    expect(latestOf(product(), [])).toEqual(product());
  });

  it('refuses a price change of a discontinued product and a negative price', () => {
    expect(() => changeProduct(product({ status: 'discontinued' }), { priceCents: 1 }, later)).toThrow(
      ProductStateConflict,
    );
    expect(() => changeProduct(product(), { priceCents: -1 }, later)).toThrow(ProductRuleViolation);
  });

  it('is discontinued once', () => {
    const [change] = discontinueProduct(product(), later);
    expect(change).toMatchObject({ kind: 'discontinued', product: { status: 'discontinued', version: 2 } });
    expect(discontinueProduct(change!.product, later)).toEqual([]);
  });
});

describe('pagination', () => {
  it('computes offsets and page counts', () => {
    expect(offsetOf({ page: 1, limit: 20 })).toBe(0);
    expect(offsetOf({ page: 3, limit: 25 })).toBe(50);
    expect(pageCount(0, 20)).toBe(0);
    expect(pageCount(41, 20)).toBe(3);
    expect(pageOf(['a'], { page: 2, limit: 1 }, 5)).toEqual({ items: ['a'], page: 2, limit: 1, total: 5 });
  });
});

describe('search terms', () => {
  it('makes every word a required prefix', () => {
    expect(toPrefixTsQuery('Blue  mu!')).toBe('blue:* & mu:*');
    expect(toPrefixTsQuery('Café 42')).toBe('café:* & 42:*');
  });
  it('drops tsquery operators and caps the number of words', () => {
    expect(toPrefixTsQuery("a & b | !c:* (d) 'e'")).toBe('a:* & b:* & c:* & d:* & e:*');
    expect(searchTerms('1 2 3 4 5 6 7 8 9 10')).toHaveLength(8);
    expect(toPrefixTsQuery(' &|! ')).toBeUndefined();
  });
});
