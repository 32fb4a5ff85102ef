import { Controller, Get, Inject, Query } from '@nestjs/common';
import { zodQuery } from '@shop/service-kit';
import type { Page } from '../../domain/pagination';
import type { ProductView } from '../shared/product-view';
import { ListProductsHandler } from './list-products.handler';
import { ListProductsQuerySchema, type ListProductsQuery } from './list-products.query';

@Controller('products')
export class ListProductsController {
  constructor(@Inject(ListProductsHandler) private readonly handler: ListProductsHandler) {}

  /** Public: `GET /products?search=mug&status=active&minPriceCents=100&maxPriceCents=5000&page=2&limit=20` */
  @Get()
  list(@Query(zodQuery(ListProductsQuerySchema)) query: ListProductsQuery): Promise<Page<ProductView>> {
    return this.handler.execute(query);
  }
}
