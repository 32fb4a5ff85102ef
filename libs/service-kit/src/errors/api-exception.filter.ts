import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponseFor } from './error-response';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Global filter (registered by ServiceKitModule): every error of an HTTP
 * request, from a handler, guard, pipe, Fastify's body parsing or the router,
 * leaves as `{ error: { code, message, details? } }` with its `x-request-id`.
 * Server faults are logged with their stack and the request id.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, serverFault } = errorResponseFor(exception);
    if (serverFault) {
      this.logger.error({
        // The path only: query strings may carry tokens.
        msg: `${request.method} ${request.url.split('?')[0]} failed with ${status}`,
        requestId: request.id,
        err: exception instanceof Error ? exception : new Error(String(exception)),
      });
    }
    // A response already streaming cannot be replaced; the log line is all that is left.
    if (reply.sent || reply.raw.headersSent) return;
    void reply
      .status(status)
      .header(REQUEST_ID_HEADER, request.id)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}
