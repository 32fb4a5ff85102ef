import { createLogger } from '@shop/telemetry';
import { captureLogs, testServiceModule } from '../__fixtures__/kit-test-app';
import { bootstrapService, type RunningService } from '../bootstrap/bootstrap-service';

interface Answer {
  status: number;
  requestId: string | null;
  contentType: string | null;
  text: string;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('error bodies of a service started by bootstrapService', () => {
  let service: RunningService;
  const logs = captureLogs();

  beforeAll(async () => {
    service = await bootstrapService({
      name: 'kit-errors',
      module: testServiceModule({ serviceName: 'kit-errors' }),
      port: 0,
      host: '127.0.0.1',
      bodyLimitBytes: 1024,
      logger: createLogger({ serviceName: 'kit-errors', destination: logs }),
    });
  });
  afterAll(() => service.app.close());

  async function call(path: string, init?: RequestInit): Promise<Answer> {
    const response = await fetch(service.url + path, init);
    const text = await response.text();
    return {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      contentType: response.headers.get('content-type'),
      text,
      body: JSON.parse(text),
    };
  }
  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    call(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('passes valid, typed input to the handler (unknown keys stripped)', async () => {
    const answer = await postJson('/orders', JSON.stringify({ sku: 'A-1', quantity: 2, admin: true }));
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: { sku: 'A-1', quantity: 2 } });
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const answer = await postJson('/orders', '{"sku": "A-1", "quantity":');
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/JSON/) } });
  });

  it('answers a body over the limit with 413', async () => {
    const answer = await postJson('/orders', JSON.stringify({ sku: 'x'.repeat(2000), quantity: 1 }));
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
    });
  });

  it('answers an unsupported content type with 415', async () => {
    const answer = await call('/orders', {
      method: 'POST',
      body: '<order/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' },
    });
  });

  it('answers an invalid body with 400 VALIDATION_FAILED naming each field', async () => {
    const answer = await postJson('/orders', JSON.stringify({ sku: '', quantity: 0 }));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request body is not valid',
        details: {
          issues: [
            { path: 'sku', message: expect.any(String) },
            { path: 'quantity', message: expect.any(String) },
          ],
        },
      },
    });
  });

  it('answers a missing body with 400 VALIDATION_FAILED', async () => {
    const answer = await call('/orders', { method: 'POST' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: '' }] } },
    });
  });

  it('answers a malformed uuid path parameter with 400 naming the parameter', async () => {
    const answer = await call('/orders/42');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The path parameters are not valid',
        details: { issues: [{ path: 'id', message: 'must be a UUID' }] },
      },
    });
    const id = '0196a4d2-7b7e-7c3a-9b1e-2f4a5c6d7e8f';
    expect(await call(`/orders/${id}`)).toMatchObject({ status: 200, body: { id } });
  });

  it('validates and converts query strings, applying defaults', async () => {
    expect(await call('/orders?limit=5')).toMatchObject({ status: 200, body: { limit: 5 } });
    expect(await call('/orders')).toMatchObject({ status: 200, body: { limit: 20 } });
    const answer = await call('/orders?limit=500');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The query string is not valid',
        details: { issues: [{ path: 'limit' }] },
      },
    });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const answer = await call('/no/such/route');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Cannot GET /no/such/route' } });
  });

  it('answers an ApiError with its status and body', async () => {
    const answer = await call('/failures/api-error');
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: { code: 'CONFLICT', message: 'Order 42 was changed meanwhile', details: { expectedVersion: 3 } },
    });
  });

  it("answers Nest's HttpExceptions with the code of their status", async () => {
    const answer = await call('/failures/http-exception');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Order 7 not found' } });
  });

  it('answers a ZodError thrown by a handler with 400 VALIDATION_FAILED', async () => {
    const answer = await call('/failures/inline-zod');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'count' }] } },
    });
  });

  it('answers an unexpected error with 500 INTERNAL, logs its stack and leaks nothing', async () => {
    const answer = await call('/failures/unexpected', { headers: { 'x-request-id': 'trace-me-500' } });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    expect(answer.text).not.toMatch(/hunter2|postgres|\bat\b/);

    const logged = logs.lines.find((line) => line.requestId === 'trace-me-500');
    expect(logged).toMatchObject({
      level: 'error',
      service: 'kit-errors',
      msg: 'GET /failures/unexpected failed with 500',
      err: {
        message: 'connection to postgres://admin:hunter2@db failed',
        stack: expect.stringMatching(/FailuresController\.unexpected/),
      },
    });
  });

  it('does not log client errors', async () => {
    await call('/failures/api-error', { headers: { 'x-request-id': 'client-error-409' } });
    expect(logs.lines.filter((line) => line.requestId === 'client-error-409')).toEqual([]);
  });

  describe('x-request-id', () => {
    it('echoes the id the caller sent, on success and on every kind of error', async () => {
      expect((await call('/orders', { headers: { 'x-request-id': 'req-ok-1' } })).requestId).toBe('req-ok-1');
      expect((await call('/failures/unexpected', { headers: { 'x-request-id': 'req-500' } })).requestId).toBe(
        'req-500',
      );
      expect((await call('/nowhere', { headers: { 'x-request-id': 'req-404' } })).requestId).toBe('req-404');
      expect((await postJson('/orders', '{', { 'x-request-id': 'req-json' })).requestId).toBe('req-json');
    });

    it('generates one (a UUID) when the caller sent none or an unusable one', async () => {
      const generated = (await call('/orders')).requestId;
      expect(generated).toMatch(UUID);
      expect((await call('/orders')).requestId).not.toBe(generated);
      const replaced = (await call('/orders', { headers: { 'x-request-id': 'two words\tand a tab' } }))
        .requestId;
      expect(replaced).toMatch(UUID);
    });
  });
});
