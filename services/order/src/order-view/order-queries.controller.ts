import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import {
  AuthenticatedGuard,
  CurrentUser,
  uuidParam,
  zodParam,
  zodQuery,
  type CallerIdentity,
} from '@shop/service-kit';
import { ListOrdersQuerySchema, type ListOrdersQuery } from './list-orders.query';
import { OrderQueries, type OrderPage } from './order-queries';
import type { OrderView } from './order-view-projection';

@Controller('orders')
@UseGuards(AuthenticatedGuard)
export class OrderQueriesController {
  constructor(@Inject(OrderQueries) private readonly queries: OrderQueries) {}

  /** The caller's orders, newest first: `GET /orders?status=CONFIRMED&page=1&limit=20`. */
  @Get()
  list(
    @Query(zodQuery(ListOrdersQuerySchema)) query: ListOrdersQuery,
    @CurrentUser() caller: CallerIdentity,
  ): Promise<OrderPage> {
    return this.queries.list(query, caller);
  }

  /** One order with its timeline; 404 when unknown or not the caller's (admins see all). */
  @Get(':id')
  get(
    @Param('id', zodParam(uuidParam)) id: string,
    @CurrentUser() caller: CallerIdentity,
  ): Promise<OrderView> {
    return this.queries.get(id, caller);
  }
}
