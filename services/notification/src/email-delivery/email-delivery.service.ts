import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EmailDeliveryWorker } from './email-delivery.worker';
import type { SmtpMailer } from './mailer';

/** Runs the delivery worker with the application (only when SMTP_URL is set: otherwise emails are skipped). */
@Injectable()
export class EmailDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly running: { worker: EmailDeliveryWorker; mailer: SmtpMailer } | undefined) {}

  onApplicationBootstrap(): void {
    this.running?.worker.start();
  }

  // Before the database closes (onApplicationShutdown): sends in progress finish and commit.
  async onModuleDestroy(): Promise<void> {
    await this.running?.worker.stop();
    this.running?.mailer.close();
  }
}
