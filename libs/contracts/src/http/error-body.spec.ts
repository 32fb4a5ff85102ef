import { z } from 'zod';
import {
  ApiError,
  errorBody,
  errorCodeForStatus,
  httpStatusOf,
  isErrorBody,
  validationFailed,
} from './error-body';

describe('HTTP error bodies', () => {
  it('builds the platform error body, leaving details out when there are none', () => {
    expect(errorBody('NOT_FOUND', 'Order 42 not found')).toEqual({
      error: { code: 'NOT_FOUND', message: 'Order 42 not found' },
    });
    expect(errorBody('CONFLICT', 'Version mismatch', { expected: 3 })).toEqual({
      error: { code: 'CONFLICT', message: 'Version mismatch', details: { expected: 3 } },
    });
  });

  it('lists every failed field of a schema with its path', () => {
    const schema = z.object({ items: z.array(z.object({ quantity: z.number().positive() })).min(1) });
    const result = schema.safeParse({ items: [{ quantity: 0 }] });
    expect(validationFailed(result.error!)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid',
        details: { issues: [{ path: 'items.0.quantity', message: expect.stringContaining('>0') }] },
      },
    });
  });

  it('maps codes to statuses and bare statuses back to codes', () => {
    expect(httpStatusOf('VALIDATION_FAILED')).toBe(400);
    expect(httpStatusOf('CONFLICT')).toBe(409);
    expect(errorCodeForStatus(404)).toBe('NOT_FOUND');
    expect(errorCodeForStatus(413)).toBe('PAYLOAD_TOO_LARGE');
    expect(errorCodeForStatus(415)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(errorCodeForStatus(405)).toBe('BAD_REQUEST');
    // Statuses shared by several codes get the generic one.
    expect(errorCodeForStatus(400)).toBe('BAD_REQUEST');
    expect(errorCodeForStatus(422)).toBe('UNPROCESSABLE');
    expect(errorCodeForStatus(507)).toBe('INTERNAL');
  });

  it('recognises error bodies, and only those', () => {
    expect(isErrorBody(errorBody('RATE_LIMITED', 'slow down'))).toBe(true);
    expect(isErrorBody({ error: { code: 'TEAPOT', message: 'x' } })).toBe(false);
    expect(isErrorBody({ message: 'Not Found', statusCode: 404 })).toBe(false);
  });

  it('carries code, status and body on ApiError', () => {
    const error = new ApiError('IDEMPOTENCY_KEY_REUSED', 'Key reused with another body', { key: 'k1' });
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(422);
    expect(error.body).toEqual(
      errorBody('IDEMPOTENCY_KEY_REUSED', 'Key reused with another body', { key: 'k1' }),
    );
  });
});
