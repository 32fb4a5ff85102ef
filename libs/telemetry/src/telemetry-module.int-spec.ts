import {
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  UseGuards,
  type CanActivate,
} from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TelemetryModule } from './telemetry.module';

class DenyAll implements CanActivate {
  canActivate(): boolean {
    throw new ForbiddenException();
  }
}

@Controller('orders')
class OrdersController {
  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    if (id === 'missing') throw new NotFoundException();
    return { id };
  }

  @Get(':id/audit')
  @UseGuards(DenyAll)
  audit(): string {
    return 'never';
  }
}

/** The value of the sample `name` whose labels include all of `labels`, if any. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('TelemetryModule on a Fastify Nest app', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryModule.forRoot({ serviceName: 'telemetry-test' })],
      controllers: [OrdersController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('serves GET /metrics in the Prometheus text format with the HTTP histogram of earlier requests', async () => {
    const statuses = await Promise.all(
      ['/orders/1', '/orders/2', '/orders/missing', '/orders/3/audit', '/no/such/route'].map(
        async (path) => (await fetch(url + path)).status,
      ),
    );
    expect(statuses).toEqual([200, 200, 404, 403, 404]);

    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();

    const count = 'http_server_request_duration_seconds_count';
    const labels = { method: 'GET', service: 'telemetry-test' };
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(sample(text, count, { ...labels, route: '/orders/:id', status_code: '200' })).toBe(2);
    expect(sample(text, count, { ...labels, route: '/orders/:id', status_code: '404' })).toBe(1);
    // Rejected by a guard, before any interceptor would have run.
    expect(sample(text, count, { ...labels, route: '/orders/:id/audit', status_code: '403' })).toBe(1);
    // No route matched: one bounded label instead of the raw path.
    expect(sample(text, count, { ...labels, route: 'unmatched', status_code: '404' })).toBe(1);
    expect(text).not.toContain('/no/such/route');
    expect(
      sample(text, 'http_server_request_duration_seconds_bucket', {
        ...labels,
        route: '/orders/:id',
        status_code: '200',
        le: '+Inf',
      }),
    ).toBe(2);
    // The default process metrics are in the same registry.
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
