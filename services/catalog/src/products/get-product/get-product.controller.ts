import { Controller, Get, Inject, Param } from '@nestjs/common';
import { uuidParam, zodParam } from '@shop/service-kit';
import type { ProductView } from '../shared/product-view';
import { GetProductHandler } from './get-product.handler';

@Controller('products')
export class GetProductController {
  constructor(@Inject(GetProductHandler) private readonly handler: GetProductHandler) {}

  /** Public. A malformed id is a 400, an unknown one a 404. */
  @Get(':id')
  get(@Param('id', zodParam(uuidParam)) id: string): Promise<ProductView> {
    return this.handler.execute(id);
  }
}
