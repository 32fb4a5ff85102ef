import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { RolesGuard } from '@shop/service-kit';
import { OrderViewRebuild, type RebuildReport } from './order-view-rebuild';

@Controller('admin/order-view')
export class RebuildOrderViewController {
  constructor(@Inject(OrderViewRebuild) private readonly rebuilder: OrderViewRebuild) {}

  /**
   * Rebuilds the order view from the event store and answers when it is in
   * place (reads keep working meanwhile); 409 while another rebuild runs.
   */
  @Post('rebuild')
  @HttpCode(200)
  @UseGuards(RolesGuard('admin'))
  rebuild(): Promise<RebuildReport> {
    return this.rebuilder.rebuild();
  }
}
