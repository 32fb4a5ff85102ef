import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { RolesGuard, uuidParam, zodParam } from '@shop/service-kit';
import type { ProductView } from '../shared/product-view';
import { DiscontinueProductHandler } from './discontinue-product.handler';

@Controller('products')
export class DiscontinueProductController {
  constructor(@Inject(DiscontinueProductHandler) private readonly handler: DiscontinueProductHandler) {}

  @Post(':id/discontinue')
  @HttpCode(200)
  @UseGuards(RolesGuard('admin'))
  discontinue(@Param('id', zodParam(uuidParam)) id: string): Promise<ProductView> {
    return this.handler.execute(id);
  }
}
