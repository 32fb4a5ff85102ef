import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { StackService } from './stack-plan';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export type LogListener = (instance: string, line: string, stream: 'stdout' | 'stderr') => void;

export interface ServiceInstanceOptions {
  name: string;
  service: StackService;
  port: number;
  env: Record<string, string>;
  onLog?: LogListener;
  /** Own process group, so a terminal's Ctrl-C reaches only the parent, which stops instances in order. */
  detached?: boolean;
}

export class InstanceExitedError extends Error {}

/**
 * One service process: `node --require tools/register.cjs services/<s>/src/main.ts`
 * with its environment. The same code starts instances for `npm start`, the
 * e2e suite and the chaos tests, which also stop (SIGTERM, drained) and kill
 * (SIGKILL) them.
 */
export class ServiceInstance {
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> | undefined;

  constructor(readonly options: ServiceInstanceOptions) {}

  get name(): string {
    return this.options.name;
  }
  get service(): StackService {
    return this.options.service;
  }
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once its readiness endpoint answers 200. */
  async start(readyTimeoutMs = 90_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const main = resolve(REPO_ROOT, 'services', this.service, 'src/main.ts');
    const args = [
      // kafkajs schedules a timeout with a negative delay on Node 24 (harmless, and noisy once per process).
      '--disable-warning=TimeoutNegativeWarning',
      '--require',
      resolve(REPO_ROOT, 'tools/register.cjs'),
      main,
    ];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.options.env, PORT: String(this.options.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.options.detached ?? false,
    });
    // Last resort if the parent exits without stopping it (a detached child would outlive it).
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    this.child = child;
    this.exit = once(child, 'exit').then(([code]) => code as number | null);
    for (const stream of ['stdout', 'stderr'] as const)
      createInterface({ input: child[stream]! }).on('line', (line) =>
        this.options.onLog?.(this.name, line, stream),
      );
    await this.waitReady(readyTimeoutMs);
  }

  /** SIGTERM: the service drains HTTP and consumers, then exits; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    try {
      await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no drain, no goodbye (what a crash or an OOM kill looks like). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exit;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const exited = this.exit!.then((code) => {
      throw new InstanceExitedError(
        `${this.name} exited with code ${code} before it was ready (see its log)`,
      );
    });
    exited.catch(() => undefined);
    while (Date.now() < deadline) {
      const ready = await Promise.race([this.isReady(), exited]);
      if (ready) return;
      await Promise.race([new Promise((r) => setTimeout(r, 250)), exited]);
    }
    await this.kill();
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms (GET ${this.url}/health/ready)`);
  }

  private async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }
}
