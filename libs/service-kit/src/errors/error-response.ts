import { HttpException } from '@nestjs/common';
import { ApiError, errorBody, errorCodeForStatus, validationFailed, type ErrorBody } from '@shop/contracts';
import { z } from 'zod';

/** What the terminus readiness probe answers with its 503 (see @shop/health): passed through as is. */
export interface HealthCheckBody {
  status: 'error' | 'shutting_down';
  details: Record<string, unknown>;
  [key: string]: unknown;
}

/** The response for one exception. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody | HealthCheckBody;
  /** A fault of this service, not of the request: log it with its stack. */
  serverFault: boolean;
}

/** All a client learns about an unexpected error (its details go to the log). */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * The one mapping from anything thrown to the platform's error body:
 * - `ApiError`: its status and body;
 * - a `ZodError` (a schema parsed inline in a controller): 400 VALIDATION_FAILED with the issues;
 * - a Nest `HttpException`, including the ones Nest makes of Fastify's own errors
 *   (malformed JSON 400, body too large 413, unsupported media type 415) and
 *   unknown routes (404): its status, the code `errorCodeForStatus` gives it, its
 *   message;
 * - anything else: 500 INTERNAL with a generic message.
 * Deliberate errors (ApiError, HttpException) keep their message; only
 * unexpected ones are hidden.
 */
export function errorResponseFor(exception: unknown): ErrorResponse {
  if (exception instanceof ApiError) {
    return { status: exception.status, body: exception.body, serverFault: exception.status >= 500 };
  }
  if (exception instanceof z.ZodError) {
    return { status: 400, body: validationFailed(exception), serverFault: false };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  return { status: 500, body: errorBody('INTERNAL', INTERNAL_ERROR_MESSAGE), serverFault: true };
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  // An unready service is not a fault, and probes keep the health contract.
  if (status === 503 && isHealthCheckBody(response)) return { status, body: response, serverFault: false };
  return {
    status,
    body: errorBody(errorCodeForStatus(status), messageOf(response, exception)),
    serverFault: status >= 500,
  };
}

/** Nest's exceptions answer `{ statusCode, message, error }` or a string; `message` may be a list. */
function messageOf(response: string | object, exception: HttpException): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((m) => typeof m === 'string')) return message.join('; ');
  return exception.message;
}

export function isHealthCheckBody(value: unknown): value is HealthCheckBody {
  if (typeof value !== 'object' || value === null) return false;
  const { status, details } = value as { status?: unknown; details?: unknown };
  return (
    (status === 'error' || status === 'shutting_down') && typeof details === 'object' && details !== null
  );
}
