import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SagaTimerScheduler } from './saga-timer-scheduler';

/** Starts the scheduler's campaign with the app; stops it (handing leadership over) before the pools close. */
@Injectable()
export class SagaTimerSchedulerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(SagaTimerScheduler) private readonly scheduler: SagaTimerScheduler) {}

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
