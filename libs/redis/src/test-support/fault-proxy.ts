import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis for tests, to make Redis hang without
 * touching the shared server: while `blackhole(true)`, connections stay open
 * but bytes are dropped both ways, so the client still thinks it is connected
 * and its commands simply get no answer.
 */
export interface FaultProxy {
  readonly url: string;
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let dropping = false;
  const sockets = new Set<Socket>();
  const server = createServer((downstream) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    const closeBoth = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk) => dropping || to.write(chunk));
      from.on('close', closeBoth);
      from.on('error', closeBoth);
      from.on('close', () => sockets.delete(from));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl); // keeps credentials and database
  url.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: url.toString(),
    blackhole(on) {
      dropping = on;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
