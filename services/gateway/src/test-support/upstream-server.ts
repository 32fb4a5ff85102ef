import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type UpstreamHandler = (request: SeenRequest) =>
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: unknown;
      delayMs?: number;
      hold?: Promise<void>;
    }
  | undefined;

export interface UpstreamServer {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** Requests received but not answered yet. */
  readonly inFlight: number;
  /** Replaces how it answers (default: 200 JSON echo of the request). */
  handle(handler: UpstreamHandler): void;
  /** What GET /health/ready answers: 200 when ready (default), 503 otherwise. */
  setReady(ready: boolean): void;
  /** GET /health/ready probes received. */
  readonly probes: number;
  close(): Promise<void>;
}

/**
 * A small real HTTP upstream for gateway tests: answers /health/ready with
 * 200, and every other request with what its handler says (by default a
 * JSON echo naming the server, the method, the url and the headers it got).
 */
export async function startUpstream(name: string, port = 0): Promise<UpstreamServer> {
  const seen: SeenRequest[] = [];
  let inFlight = 0;
  let ready = true;
  let probes = 0;
  let handler: UpstreamHandler = () => undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      if (request.url === '/health/ready') {
        probes += 1;
        res
          .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(`{"status":"${ready ? 'ok' : 'error'}"}`);
        return;
      }
      seen.push(request);
      inFlight += 1;
      try {
        const answer = handler(request) ?? {};
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (answer.hold) await answer.hold;
        const body = answer.body ?? {
          server: name,
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.body,
        };
        res
          .writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
          .end(JSON.stringify(body));
      } finally {
        inFlight -= 1;
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    seen,
    get inFlight() {
      return inFlight;
    },
    handle(next) {
      handler = next;
    },
    setReady(next) {
      ready = next;
    },
    get probes() {
      return probes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
