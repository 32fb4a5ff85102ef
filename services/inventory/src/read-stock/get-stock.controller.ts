import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { AuthenticatedGuard, uuidParam, zodParam } from '@shop/service-kit';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import { readStock } from '../shared/stock-sql';
import { productNotFound, stockView, type StockView } from './stock-view';

@Controller('inventory')
export class GetStockController {
  constructor(@Inject(InventoryDatabase) private readonly database: InventoryDatabase) {}

  /** One consistent row: restocked = available + reserved + sold on every read. */
  @Get(':productId')
  @UseGuards(AuthenticatedGuard)
  async get(@Param('productId', zodParam(uuidParam)) productId: string): Promise<StockView> {
    const row = await readStock(this.database.sql, productId);
    if (!row) throw productNotFound(productId);
    return stockView(row);
  }
}
