import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import { RolesGuard, uuidParam, zodParam, zodQuery } from '@shop/service-kit';
import { z } from 'zod';
import { RESERVATION_STATUSES } from '../domain';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import { productNotFound } from '../read-stock/stock-view';
import { latestAlerts, type StockAlertView } from '../shared/stock-alerts';
import { readStock } from '../shared/stock-sql';
import {
  reservationOfOrder,
  reservationsOfProduct,
  type ProductReservationView,
  type ReservationView,
} from './reservation-queries';

const ListQuerySchema = z.strictObject({
  status: z.enum(RESERVATION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const AlertsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1_000).default(100) });

/** Admin views for operators, tests and the chaos suite's checks. */
@Controller('inventory')
@UseGuards(RolesGuard('admin'))
export class InspectReservationsController {
  constructor(@Inject(InventoryDatabase) private readonly database: InventoryDatabase) {}

  @Get('alerts')
  async alerts(@Query(zodQuery(AlertsQuerySchema)) query: z.output<typeof AlertsQuerySchema>): Promise<{
    items: StockAlertView[];
  }> {
    return { items: await latestAlerts(this.database.sql, query.limit) };
  }

  @Get('reservations/:orderId')
  async ofOrder(@Param('orderId', zodParam(uuidParam)) orderId: string): Promise<ReservationView> {
    const view = await reservationOfOrder(this.database.sql, orderId);
    if (!view) throw new ApiError('NOT_FOUND', `No reservation for order ${orderId}`);
    return view;
  }

  @Get(':productId/reservations')
  async ofProduct(
    @Param('productId', zodParam(uuidParam)) productId: string,
    @Query(zodQuery(ListQuerySchema)) query: z.output<typeof ListQuerySchema>,
  ): Promise<{ productId: string; items: ProductReservationView[] }> {
    if (!(await readStock(this.database.sql, productId))) throw productNotFound(productId);
    return { productId, items: await reservationsOfProduct(this.database.sql, productId, query) };
  }
}
