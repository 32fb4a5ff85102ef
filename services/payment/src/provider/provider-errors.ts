/** The provider answered "not now" before doing anything (HTTP 503 of a real provider): nothing happened. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  readonly status = 503;
  constructor() {
    super('payment provider unavailable');
  }
}

/**
 * The provider refused the request itself (capture of a voided authorization,
 * amount too high ...): a 4xx, so the breaker does not count it against the
 * provider's health.
 */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';
  constructor(
    message: string,
    readonly status: 404 | 409 | 422 = 409,
  ) {
    super(message);
  }
}
