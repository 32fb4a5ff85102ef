import { Controller, Get, Injectable, Logger, Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '../../index';
import type { CatalogConfig } from './config';

/** GET /slow answers only once the process got SIGTERM: shutdown happens mid-request, every time. */
@Controller('slow')
class SlowController {
  private readonly logger = new Logger('SlowController');

  @Get()
  async slow(): Promise<{ finished: true }> {
    const terminated = new Promise((resolve) => process.once('SIGTERM', resolve));
    this.logger.log('slow request waiting for SIGTERM');
    await terminated;
    this.logger.log('slow request finished');
    return { finished: true };
  }
}

/** Stands for the service's database pool and Kafka producer, closed in a destroy hook. */
@Injectable()
class Pools {
  private readonly logger = new Logger('Pools');
  onModuleDestroy(): void {
    this.logger.log('pools closed');
  }
}

@Module({})
export class AppModule {
  static forRoot(config: CatalogConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ serviceName: 'catalog', identitySecret: config.IDENTITY_HMAC_SECRET }),
      ],
      controllers: [SlowController],
      providers: [Pools],
    };
  }
}
