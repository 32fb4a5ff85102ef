import { z } from 'zod';
import { validationIssues, type ValidationIssue } from '../validation-issues';

/**
 * The one error body every HTTP endpoint of the platform returns:
 *   { "error": { "code": "NOT_FOUND", "message": "Order 42 not found", "details": {...} } }
 * `code` is for machines (stable, documented here), `message` for people,
 * `details` optional and code-specific (e.g. the failed fields).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The Idempotency-Key was used before with a different request. */
  IDEMPOTENCY_KEY_REUSED: 422,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
  };
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return errorBodySchema.safeParse(value).success;
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/**
 * Statuses shared by several codes map to the generic one: a bare 400 is not
 * VALIDATION_FAILED (which promises `details.issues`).
 */
const GENERIC_CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  422: 'UNPROCESSABLE',
};

/** The code for a status that did not come with one (an upstream's bare 404, a framework's 413 ...). */
export function errorCodeForStatus(status: number): ErrorCode {
  const generic = GENERIC_CODE_FOR_STATUS[status];
  if (generic) return generic;
  const exact = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (exact) return exact[0];
  if (status >= 500) return 'INTERNAL';
  return 'BAD_REQUEST';
}

/** A 400 body listing what failed: `details.issues` is `[{ path, message }]`. */
export function validationFailed(
  issues: z.ZodError | readonly ValidationIssue[],
  message = 'The request is not valid',
): ErrorBody {
  const list = issues instanceof z.ZodError ? validationIssues(issues) : [...issues];
  return errorBody('VALIDATION_FAILED', message, { issues: list });
}

/**
 * Throw it from a use case or controller; the service's exception filter
 * turns it into `status` + `body`. Carries no HTTP framework types.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = httpStatusOf(code);
  }

  get body(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}
