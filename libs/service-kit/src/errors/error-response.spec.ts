import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiError, ERROR_CODES, errorCodeForStatus } from '@shop/contracts';
import { z } from 'zod';
import { errorResponseFor, INTERNAL_ERROR_MESSAGE } from './error-response';

describe('errorResponseFor', () => {
  it.each(ERROR_CODES)('answers ApiError %s with its own status and body', (code) => {
    const error = new ApiError(code, 'what happened', { hint: 1 });
    expect(errorResponseFor(error)).toEqual({
      status: error.status,
      body: { error: { code, message: 'what happened', details: { hint: 1 } } },
      serverFault: error.status >= 500,
    });
  });

  it('answers a ZodError with 400 VALIDATION_FAILED and the issues', () => {
    const result = z.object({ items: z.array(z.object({ quantity: z.number() })) }).safeParse({
      items: [{ quantity: 'two' }],
    });
    expect(errorResponseFor(result.error)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: { issues: [{ path: 'items.0.quantity', message: expect.any(String) }] },
        },
      },
      serverFault: false,
    });
  });

  it.each<[HttpException, number, string, string]>([
    [new BadRequestException('Body is not valid JSON'), 400, 'BAD_REQUEST', 'Body is not valid JSON'],
    [new UnauthorizedException(), 401, 'UNAUTHORIZED', 'Unauthorized'],
    [new ForbiddenException('Not yours'), 403, 'FORBIDDEN', 'Not yours'],
    [new NotFoundException('Cannot GET /x'), 404, 'NOT_FOUND', 'Cannot GET /x'],
    [
      new PayloadTooLargeException('Request body is too large'),
      413,
      errorCodeForStatus(413),
      'Request body is too large',
    ],
    [
      new UnsupportedMediaTypeException('Unsupported Media Type'),
      415,
      errorCodeForStatus(415),
      'Unsupported Media Type',
    ],
    [
      new UnprocessableEntityException(['a is wrong', 'b is wrong']),
      422,
      'UNPROCESSABLE',
      'a is wrong; b is wrong',
    ],
    [new HttpException('Slow down', 429), 429, 'RATE_LIMITED', 'Slow down'],
  ])('answers %s with %i %s and its message', (exception, status, code, message) => {
    expect(errorResponseFor(exception)).toEqual({
      status,
      body: { error: { code, message } },
      serverFault: false,
    });
  });

  it('treats deliberate 5xx HttpExceptions as server faults but keeps their message', () => {
    expect(errorResponseFor(new ServiceUnavailableException('Payments are down'))).toEqual({
      status: 503,
      body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'Payments are down' } },
      serverFault: true,
    });
    expect(errorResponseFor(new InternalServerErrorException())).toMatchObject({
      status: 500,
      body: { error: { code: 'INTERNAL' } },
      serverFault: true,
    });
  });

  it("passes terminus's readiness body through, as a 503 that is no fault", () => {
    const health = {
      status: 'error',
      info: {},
      error: { redis: { status: 'down' } },
      details: { redis: { status: 'down' } },
    };
    expect(errorResponseFor(new ServiceUnavailableException(health))).toEqual({
      status: 503,
      body: health,
      serverFault: false,
    });
  });

  it.each([
    new Error('secret connection string'),
    new TypeError('x is undefined'),
    'a thrown string',
    undefined,
  ])('hides anything else (%p) behind 500 INTERNAL', (thrown) => {
    expect(errorResponseFor(thrown)).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE } },
      serverFault: true,
    });
  });
});
