import { offsetOf } from '../../domain/pagination';
import { toPrefixTsQuery } from '../../domain/search-terms';
import { PRODUCT_COLUMNS } from '../shared/product-row';
import type { ListProductsQuery } from './list-products.query';

/**
 * Must be the expression of the products_search_idx GIN index (migration
 * search_words_only), or the index is not used. Words only, like the search
 * terms (domain/search-terms.ts), so both sides go through Postgres' parser alike.
 */
export const SEARCH_DOCUMENT = `to_tsvector('simple'::regconfig, regexp_replace(name || ' ' || description, '[^[:alnum:]]+', ' ', 'g'))`;

export interface SqlStatement {
  text: string;
  params: unknown[];
}

/**
 * The page query and the count query of a product list. Filters become
 * parameters ($1..$n), never SQL text; search is full-text (prefix match of
 * every word, ranked), otherwise products come by name (id breaks ties, so
 * pages never overlap or skip).
 */
export function listProductsSql(query: ListProductsQuery): { page: SqlStatement; count: SqlStatement } {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;

  const tsQuery = query.search ? toPrefixTsQuery(query.search) : undefined;
  let rankParam: string | undefined;
  if (tsQuery) {
    rankParam = param(tsQuery);
    conditions.push(`${SEARCH_DOCUMENT} @@ to_tsquery('simple'::regconfig, ${rankParam})`);
  }
  if (query.status) conditions.push(`status = ${param(query.status)}`);
  if (query.minPriceCents !== undefined) conditions.push(`price_cents >= ${param(query.minPriceCents)}`);
  if (query.maxPriceCents !== undefined) conditions.push(`price_cents <= ${param(query.maxPriceCents)}`);

  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const countParams = [...params];
  const orderBy = rankParam
    ? `ts_rank(${SEARCH_DOCUMENT}, to_tsquery('simple'::regconfig, ${rankParam})) DESC, name, id`
    : 'name, id';
  const limit = param(query.limit);
  const offset = param(offsetOf(query));
  return {
    page: {
      text: `SELECT ${PRODUCT_COLUMNS} FROM products${where} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`,
      params,
    },
    count: { text: `SELECT count(*)::int AS total FROM products${where}`, params: countParams },
  };
}

/** The cache key of a list query: the same filters give the same key whatever their order in the URL. */
export function canonicalListQuery(query: ListProductsQuery): string {
  const tsQuery = query.search ? (toPrefixTsQuery(query.search) ?? '') : '';
  return [
    `q=${tsQuery}`,
    `status=${query.status ?? ''}`,
    `min=${query.minPriceCents ?? ''}`,
    `max=${query.maxPriceCents ?? ''}`,
    `page=${query.page}`,
    `limit=${query.limit}`,
  ].join('&');
}
