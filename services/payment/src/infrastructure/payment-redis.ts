import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, createRedis } from '@shop/redis';

/** The service's Redis connection, every key under the service's prefix. */
@Injectable()
export class PaymentRedis implements OnApplicationShutdown {
  readonly client: ReturnType<typeof createRedis>;

  constructor(url: string, keyPrefix: string) {
    this.client = createRedis(url, { keyPrefix });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.client);
  }
}
