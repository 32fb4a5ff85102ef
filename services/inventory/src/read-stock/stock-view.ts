import { ApiError } from '@shop/contracts';
import type { StockRow } from '../shared/stock-sql';

/** A product's stock as the API answers it. */
export interface StockView {
  productId: string;
  available: number;
  reserved: number;
  sold: number;
  restocked: number;
}

export function stockView(row: StockRow): StockView {
  const { productId, available, reserved, sold, restocked } = row;
  return { productId, available, reserved, sold, restocked };
}

export function productNotFound(productId: string): ApiError {
  return new ApiError('NOT_FOUND', `No stock record for product ${productId}`);
}
