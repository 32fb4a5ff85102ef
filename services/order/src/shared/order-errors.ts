import { ApiError, validationFailed } from '@shop/contracts';
import { OrderRuleViolation, OrderStateConflict, UnavailableProducts } from '../domain';

/** Domain refusals as the platform's HTTP errors; anything else unchanged. */
export function asApiError(err: unknown): unknown {
  if (err instanceof UnavailableProducts)
    return new ApiError('UNPROCESSABLE', err.message, {
      unknownProductIds: err.unknownProductIds,
      discontinued: err.discontinued,
    });
  if (err instanceof OrderRuleViolation) {
    const { error } = validationFailed([{ path: err.field, message: err.problem }], 'The order is not valid');
    return new ApiError(error.code, error.message, error.details);
  }
  if (err instanceof OrderStateConflict) return new ApiError('CONFLICT', err.message, { status: err.status });
  return err;
}

export function orderNotFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `Order ${id} not found`);
}
