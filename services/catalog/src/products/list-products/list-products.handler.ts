import { pageOf, type Page } from '../../domain/pagination';
import type { CatalogDatabase } from '../../infrastructure/catalog-database';
import type { ProductCache } from '../shared/product-cache';
import { productFromRow, type ProductRow } from '../shared/product-row';
import { productView, type ProductView } from '../shared/product-view';
import type { ListProductsQuery } from './list-products.query';
import { canonicalListQuery, listProductsSql } from './list-products.sql';

export class ListProductsHandler {
  constructor(
    private readonly database: CatalogDatabase,
    private readonly cache: ProductCache,
  ) {}

  execute(query: ListProductsQuery): Promise<Page<ProductView>> {
    return this.cache.list(canonicalListQuery(query), () => this.load(query));
  }

  private async load(query: ListProductsQuery): Promise<Page<ProductView>> {
    const { page, count } = listProductsSql(query);
    const [rows, [counted]] = await Promise.all([
      this.database.sql.query<ProductRow>(page.text, page.params),
      this.database.sql.query<{ total: number }>(count.text, count.params),
    ]);
    return pageOf(
      rows.map((row) => productView(productFromRow(row))),
      query,
      counted?.total ?? 0,
    );
  }
}
