import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { RolesGuard, zodBody } from '@shop/service-kit';
import type { ProductView } from '../shared/product-view';
import { CreateProductBodySchema, type CreateProductBody } from './create-product.dto';
import { CreateProductHandler } from './create-product.handler';

@Controller('products')
export class CreateProductController {
  constructor(@Inject(CreateProductHandler) private readonly handler: CreateProductHandler) {}

  @Post()
  @HttpCode(201)
  @UseGuards(RolesGuard('admin'))
  create(@Body(zodBody(CreateProductBodySchema)) body: CreateProductBody): Promise<ProductView> {
    return this.handler.execute(body);
  }
}
