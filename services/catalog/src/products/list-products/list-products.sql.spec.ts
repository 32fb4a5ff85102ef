import { ListProductsQuerySchema } from './list-products.query';
import { canonicalListQuery, listProductsSql, SEARCH_DOCUMENT } from './list-products.sql';

const query = (raw: Record<string, string>) => ListProductsQuerySchema.parse(raw);

describe('list query building', () => {
  it('lists by name with paging parameters when nothing is filtered', () => {
    const { page, count } = listProductsSql(query({}));
    expect(page.text).toMatch(/FROM products ORDER BY name, id LIMIT \$1 OFFSET \$2$/);
    expect(page.params).toEqual([20, 0]);
    expect(count).toEqual({ text: 'SELECT count(*)::int AS total FROM products', params: [] });
  });

  it('puts every filter in a parameter and ranks search results', () => {
    const { page, count } = listProductsSql(
      query({
        search: "Blue mu'; DROP",
        status: 'active',
        minPriceCents: '100',
        maxPriceCents: '900',
        page: '3',
        limit: '10',
      }),
    );
    const where = `WHERE ${SEARCH_DOCUMENT} @@ to_tsquery('simple'::regconfig, $1) AND status = $2 AND price_cents >= $3 AND price_cents <= $4`;
    expect(page.text).toContain(where);
    expect(page.text).toContain(
      `ORDER BY ts_rank(${SEARCH_DOCUMENT}, to_tsquery('simple'::regconfig, $1)) DESC, name, id LIMIT $5 OFFSET $6`,
    );
    expect(page.params).toEqual(['blue:* & mu:* & drop:*', 'active', 100, 900, 10, 20]);
    expect(count.text).toBe(`SELECT count(*)::int AS total FROM products ${where}`);
    expect(count.params).toEqual(['blue:* & mu:* & drop:*', 'active', 100, 900]);
    expect(page.text).not.toContain('DROP');
  });

  it('ignores a search with no words', () => {
    expect(listProductsSql(query({ search: ' !& ' })).page.params).toEqual([20, 0]);
  });

  it('gives equivalent queries one cache key and different ones different keys', () => {
    const a = canonicalListQuery(query({ search: 'Blue  MUG', limit: '20' }));
    expect(canonicalListQuery(query({ search: 'blue mug!' }))).toBe(a);
    expect(canonicalListQuery(query({ search: 'blue mug', page: '2' }))).not.toBe(a);
    expect(canonicalListQuery(query({ search: 'blue mug', status: 'active' }))).not.toBe(a);
    expect(a).toBe('q=blue:* & mug:*&status=&min=&max=&page=1&limit=20');
  });
});
