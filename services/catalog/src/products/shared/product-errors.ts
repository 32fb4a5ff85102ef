import { ApiError, validationFailed } from '@shop/contracts';
import { ProductRuleViolation, ProductStateConflict } from '../../domain/product';

/** Domain refusals as the platform's HTTP errors; anything else unchanged. */
export function asApiError(err: unknown): unknown {
  if (err instanceof ProductRuleViolation) {
    const { error } = validationFailed(
      [{ path: err.field, message: err.problem }],
      'The product is not valid',
    );
    return new ApiError(error.code, error.message, error.details);
  }
  if (err instanceof ProductStateConflict) return new ApiError('CONFLICT', err.message);
  return err;
}

export function productNotFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `Product ${id} not found`);
}

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'P2002' || code === '23505';
}
