import { normalizeCurrency, priceProblem } from '../domain/money';
import { normalizeSku } from '../domain/sku';
import { DEFAULT_SEED_COUNT, generateCatalog, generateProduct } from './catalog-generator';

describe('catalog generator', () => {
  const catalog = generateCatalog(DEFAULT_SEED_COUNT);

  it('makes at least 1,000 products with distinct, valid SKUs', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(1_000);
    expect(new Set(catalog.map((p) => p.sku)).size).toBe(catalog.length);
    for (const product of catalog) {
      expect(normalizeSku(product.sku)).toBe(product.sku);
      expect(priceProblem(product.priceCents)).toBeUndefined();
      expect(normalizeCurrency(product.currency)).toBe('EUR');
    }
  });

  it('is deterministic and spreads categories and prices', () => {
    expect(generateProduct(42)).toEqual(generateCatalog(43)[42]);
    expect(new Set(catalog.map((p) => p.sku.slice(0, 3))).size).toBe(6);
    expect(new Set(catalog.map((p) => p.priceCents)).size).toBeGreaterThan(300);
    expect(new Set(catalog.map((p) => p.name)).size).toBeGreaterThan(500);
  });
});
