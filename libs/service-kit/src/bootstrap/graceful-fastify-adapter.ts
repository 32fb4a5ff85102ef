import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiError } from '@shop/contracts';
import type { FastifyInstance } from 'fastify';

export interface GracefulFastifyOptions {
  bodyLimit: number;
  /** How long in-flight requests may take to finish once shutdown starts; then their connections are cut. */
  drainTimeoutMs: number;
}

/**
 * Nest's Fastify adapter with a shutdown that drains HTTP first. Nest runs
 * `beforeClose()` before any OnModuleDestroy hook, so closing the server
 * here (stop accepting, let in-flight requests finish, close idle
 * keep-alive connections) means no request loses its database pool or Kafka
 * producer to a hook halfway through. Requests that still arrive on an open
 * connection meanwhile get a 503 SERVICE_UNAVAILABLE in the platform's error
 * body (Fastify's own 503 has another shape).
 */
export class GracefulFastifyAdapter extends FastifyAdapter {
  private draining = false;
  private readonly drainTimeoutMs: number;

  constructor(options: GracefulFastifyOptions) {
    super({ bodyLimit: options.bodyLimit, return503OnClosing: false });
    this.drainTimeoutMs = options.drainTimeoutMs;
    this.getInstance().addHook('onRequest', (_request, reply, done) => {
      if (!this.draining) return done();
      void reply.header('connection', 'close');
      done(new ApiError('SERVICE_UNAVAILABLE', 'The service is shutting down'));
    });
  }

  override async beforeClose(): Promise<void> {
    super.beforeClose();
    if (this.draining) return;
    this.draining = true;
    await drain(this.getInstance(), this.drainTimeoutMs);
  }
}

async function drain(fastify: FastifyInstance, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = fastify.close();
  const overdue = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      fastify.server.closeAllConnections();
      resolve();
    }, timeoutMs);
  });
  try {
    await Promise.race([closed, overdue]);
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
