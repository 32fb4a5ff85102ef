import { Body, Controller, Inject, Param, Patch, UseGuards } from '@nestjs/common';
import { RolesGuard, uuidParam, zodBody, zodParam } from '@shop/service-kit';
import type { ProductView } from '../shared/product-view';
import { UpdateProductBodySchema, type UpdateProductBody } from './update-product.dto';
import { UpdateProductHandler } from './update-product.handler';

@Controller('products')
export class UpdateProductController {
  constructor(@Inject(UpdateProductHandler) private readonly handler: UpdateProductHandler) {}

  @Patch(':id')
  @UseGuards(RolesGuard('admin'))
  update(
    @Param('id', zodParam(uuidParam)) id: string,
    @Body(zodBody(UpdateProductBodySchema)) body: UpdateProductBody,
  ): Promise<ProductView> {
    return this.handler.execute(id, body);
  }
}
