import { createLogger } from '@shop/telemetry';
import { captureLogs, TEST_SECRET, testServiceModule } from '../__fixtures__/kit-test-app';
import { bootstrapService, type RunningService } from '../bootstrap/bootstrap-service';
import { IDENTITY_HEADERS, signIdentity } from './identity-signature';

describe('caller identity set by the gateway', () => {
  let service: RunningService;
  const logs = captureLogs();

  beforeAll(async () => {
    service = await bootstrapService({
      name: 'kit-identity',
      module: testServiceModule({ serviceName: 'kit-identity' }),
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ serviceName: 'kit-identity', destination: logs }),
    });
  });
  afterAll(() => service.app.close());

  async function call(
    path: string,
    headers: Record<string, string>,
    method = 'GET',
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(service.url + path, { method, headers });
    return { status: response.status, body: await response.json() };
  }

  const customer = signIdentity({ userId: 'user-1', roles: ['customer'] }, TEST_SECRET);
  const admin = signIdentity({ userId: 'admin-1', roles: ['customer', 'admin'] }, TEST_SECRET);

  it('gives the handler the caller of validly signed headers', async () => {
    expect(await call('/me', customer)).toEqual({
      status: 200,
      body: { userId: 'user-1', roles: ['customer'] },
    });
  });

  it('answers 401 without identity headers', async () => {
    expect(await call('/me', {})).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'Authentication required' } },
    });
  });

  it.each([
    ['a tampered signature', { ...customer, [IDENTITY_HEADERS.signature]: flipFirstChar(customer) }],
    ['roles raised without re-signing', { ...customer, [IDENTITY_HEADERS.roles]: 'customer,admin' }],
    ['another user id under the same signature', { ...customer, [IDENTITY_HEADERS.userId]: 'user-2' }],
    ['no signature', { [IDENTITY_HEADERS.userId]: 'user-1', [IDENTITY_HEADERS.roles]: 'admin' }],
    ['a signature made with another secret', signIdentity({ userId: 'user-1', roles: [] }, 'x'.repeat(40))],
  ])('answers 401 for %s', async (_case, headers) => {
    expect(await call('/me', headers)).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'The caller identity is not valid' } },
    });
  });

  it('answers 401 on a role-guarded route when roles were forged', async () => {
    const forged = { ...customer, [IDENTITY_HEADERS.roles]: 'admin' };
    expect((await call('/me/products/p-1', forged, 'DELETE')).status).toBe(401);
  });

  it('answers 403 to a customer on an admin route, and lets an admin through', async () => {
    expect(await call('/me/products/p-1', customer, 'DELETE')).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'This needs the role admin' } },
    });
    expect(await call('/me/products/p-1', admin, 'DELETE')).toEqual({
      status: 200,
      body: { removedBy: 'admin-1' },
    });
    expect((await call('/me/products/p-1', {}, 'DELETE')).status).toBe(401);
  });

  it('refuses @CurrentUser() on a route without an identity guard (500, logged), even with valid headers', async () => {
    const answer = await call('/me/unguarded', { ...admin, 'x-request-id': 'unguarded-1' });
    expect(answer).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Internal server error' } },
    });
    expect(logs.lines.find((line) => line.requestId === 'unguarded-1')).toMatchObject({
      err: { message: expect.stringMatching(/@CurrentUser\(\) needs @UseGuards\(AuthenticatedGuard\)/) },
    });
  });
});

function flipFirstChar(headers: Record<string, string>): string {
  const signature = headers[IDENTITY_HEADERS.signature]!;
  return (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
}
