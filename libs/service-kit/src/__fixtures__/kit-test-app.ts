/**
 * A small service for the integration tests: one controller per concern,
 * booted through bootstrapService like a real service.
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
  type DynamicModule,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import { z } from 'zod';
import {
  AuthenticatedGuard,
  CurrentUser,
  RolesGuard,
  ServiceKitModule,
  uuidParam,
  zodBody,
  zodParam,
  zodQuery,
  type CallerIdentity,
  type ServiceKitOptions,
} from '../index';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

const PlaceOrderSchema = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
});
type PlaceOrder = z.infer<typeof PlaceOrderSchema>;

const ListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
type ListQuery = z.infer<typeof ListQuerySchema>;

@Controller('orders')
class OrdersController {
  @Post()
  @HttpCode(202)
  place(@Body(zodBody(PlaceOrderSchema)) order: PlaceOrder): { accepted: PlaceOrder } {
    return { accepted: order };
  }

  @Get(':id')
  get(@Param('id', zodParam(uuidParam)) id: string): { id: string } {
    return { id };
  }

  @Get()
  list(@Query(zodQuery(ListQuerySchema)) query: ListQuery): ListQuery {
    return query;
  }
}

@Controller('failures')
class FailuresController {
  @Get('api-error')
  apiError(): never {
    throw new ApiError('CONFLICT', 'Order 42 was changed meanwhile', { expectedVersion: 3 });
  }

  @Get('http-exception')
  httpException(): never {
    throw new NotFoundException('Order 7 not found');
  }

  @Get('inline-zod')
  inlineZod(): never {
    z.object({ count: z.number() }).parse({ count: 'three' });
    throw new Error('unreachable');
  }

  @Get('unexpected')
  unexpected(): never {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  }
}

@Controller('me')
class IdentityController {
  @Get()
  @UseGuards(AuthenticatedGuard)
  me(@CurrentUser() user: CallerIdentity): CallerIdentity {
    return user;
  }

  @Delete('products/:id')
  @UseGuards(RolesGuard('admin'))
  removeProduct(@CurrentUser() user: CallerIdentity): { removedBy: string } {
    return { removedBy: user.userId };
  }

  @Get('unguarded')
  unguarded(@CurrentUser() user: CallerIdentity): CallerIdentity {
    return user;
  }
}

/**
 * Holds requests to GET /slow until the test releases them, so shutdown can
 * happen mid-request; records when the request finished and when Nest's
 * destroy hooks ran (where a service closes its pools).
 */
@Injectable()
export class SlowGate implements OnModuleDestroy {
  readonly events: string[] = [];
  private opened = Promise.withResolvers<void>();
  private entered = Promise.withResolvers<void>();

  async pass(): Promise<void> {
    this.entered.resolve();
    await this.opened.promise;
    this.events.push('request finished');
  }
  onModuleDestroy(): void {
    this.events.push('module destroyed');
  }
  /** Resolves once a request is waiting inside the handler. */
  whenEntered(): Promise<void> {
    return this.entered.promise;
  }
  open(): void {
    this.opened.resolve();
  }
}

@Controller('slow')
class SlowController {
  constructor(@Inject(SlowGate) private readonly gate: SlowGate) {}

  @Get()
  async slow(): Promise<{ finished: true }> {
    await this.gate.pass();
    return { finished: true };
  }
}

@Module({
  controllers: [OrdersController, FailuresController, IdentityController, SlowController],
  providers: [SlowGate],
})
class FeaturesModule {}

/** The root module of a test service. */
export function testServiceModule(kit: Partial<ServiceKitOptions> & { serviceName: string }): DynamicModule {
  return {
    module: TestServiceModule,
    imports: [ServiceKitModule.forRoot({ identitySecret: TEST_SECRET, ...kit }), FeaturesModule],
  };
}

@Module({})
class TestServiceModule {}

/** JSON log lines written by the service's logger, for assertions. */
export function captureLogs(): { lines: Record<string, unknown>[]; write(line: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}
