import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createRedis, closeRedis } from '@shop/redis';
import { uniqueName, waitFor } from '@shop/testing';

const root = join(__dirname, '../../../..');
const SECRET = 'demo-secret-that-is-long-enough-0123456789';

interface DemoProcess {
  readonly logs: Record<string, unknown>[];
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  logged(msg: string): Promise<Record<string, unknown>>;
}

/** Runs src/__fixtures__/demo-service/main.ts (the README's main.ts + telemetry.ts) as a real process. */
function runDemoService(env: Record<string, string>): DemoProcess {
  const child = spawn(
    process.execPath,
    ['--require', join(root, 'tools/register.cjs'), join(__dirname, '../__fixtures__/demo-service/main.ts')],
    { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Record<string, unknown>[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) logs.push(JSON.parse(line) as Record<string, unknown>); // every line is JSON
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    logs,
    stderr: () => stderr,
    exited,
    kill: (signal) => void child.kill(signal),
    async logged(msg) {
      await waitFor(() => logs.some((line) => line.msg === msg) || child.exitCode !== null, {
        describe: () => `no log line '${msg}'; stderr: ${stderr}`,
      });
      const line = logs.find((l) => l.msg === msg);
      if (!line) throw new Error(`the service exited before logging '${msg}': ${stderr}`);
      return line;
    },
  };
}

describe('a service process built on bootstrapService', () => {
  it('registers for discovery; on SIGTERM deregisters, finishes the in-flight request, closes its pools, flushes its logs and exits 0', async () => {
    const registryPrefix = `${uniqueName('registry', 'lifecycle')}:`;
    const registry = createRedis(undefined, { keyPrefix: registryPrefix });
    const demo = runDemoService({
      PORT: '0',
      HOST: '127.0.0.1',
      KAFKA_BROKERS: '127.0.0.1:9092',
      IDENTITY_HMAC_SECRET: SECRET,
      OTEL_TRACES_EXPORTER: 'none',
      DISCOVERY_KEY_PREFIX: registryPrefix,
      SERVICE_INSTANCE_ID: 'catalog-demo-1',
    });
    const registered = async () => (await registry.keys('*')).filter((key) => key.includes('catalog-demo-1'));
    try {
      const { url } = (await demo.logged('catalog listening')) as { url: string };
      await demo.logged('catalog registered for discovery');
      expect(await registered()).not.toEqual([]);
      const response = fetch(`${url}/slow`);
      await demo.logged('slow request waiting for SIGTERM');
      demo.kill('SIGTERM');
      await waitFor(async () => (await registered()).length === 0, { describe: () => 'still registered' });

      const answer = await response;
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ finished: true });
      expect(await demo.exited).toEqual({ code: 0, signal: null });

      const messages = demo.logs.map((line) => line.msg);
      expect(messages.slice(messages.indexOf('slow request finished'))).toEqual([
        'slow request finished',
        'pools closed',
        'catalog stopped',
      ]);
      expect(demo.logs.at(-1)).toMatchObject({ signal: 'SIGTERM' });
      // Nest's own logs go through the service's JSON logger too.
      expect(demo.logs.every((line) => line.service === 'catalog')).toBe(true);
      expect(demo.logs).toContainEqual(expect.objectContaining({ context: 'RoutesResolver' }));
    } finally {
      demo.kill('SIGKILL');
      await closeRedis(registry);
    }
  });

  it('refuses to start with one error naming every missing or invalid variable', async () => {
    const demo = runDemoService({ PORT: 'eighty', CATALOG_PAGE_SIZE: '0' });
    expect(await demo.exited).toEqual({ code: 1, signal: null });
    const stderr = demo.stderr();
    expect(stderr).toContain('Invalid service configuration (4 problems)');
    expect(stderr).toMatch(/PORT: .+/);
    expect(stderr).toContain('KAFKA_BROKERS: is not set');
    expect(stderr).toContain('IDENTITY_HMAC_SECRET: is not set');
    expect(stderr).toMatch(/CATALOG_PAGE_SIZE: .+/);
  });
});
