import { isClientError } from './client-error';
import { httpError } from './test-support';

describe('isClientError', () => {
  it.each([400, 401, 403, 404, 409, 422, 499])('treats status %i as the caller fault', (status) => {
    expect(isClientError(httpError(status))).toBe(true);
    expect(isClientError({ statusCode: status })).toBe(true);
  });

  it.each([408, 429, 500, 502, 503, 504, 302])('counts status %i against the dependency', (status) => {
    expect(isClientError(httpError(status))).toBe(false);
  });

  it.each([new Error('ECONNRESET'), 'boom', undefined, null, { status: '404' }])(
    'counts %p (no numeric status) against the dependency',
    (error) => {
      expect(isClientError(error)).toBe(false);
    },
  );
});
