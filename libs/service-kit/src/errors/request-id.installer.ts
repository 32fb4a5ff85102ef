import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

/** Makes `request.id` the request id (taken or generated) and echoes it on every response. */
export function installRequestIds(fastify: FastifyInstance): void {
  fastify.setGenReqId((raw) => requestIdFrom(raw.headers[REQUEST_ID_HEADER]));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}

@Injectable()
export class RequestIdInstaller implements OnModuleInit {
  // Explicit token: DI must not depend on emitted type metadata.
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') {
      throw new Error(`ServiceKitModule needs Nest's Fastify adapter, got '${adapter?.getType()}'`);
    }
    installRequestIds(adapter.getInstance<FastifyInstance>());
  }
}
