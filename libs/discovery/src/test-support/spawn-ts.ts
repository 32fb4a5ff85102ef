import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '../../../..');

export interface TsProcess {
  readonly child: ChildProcess;
  /** The first stdout line matching `ready` (e.g. `LISTENING 41234`). */
  readonly ready: Promise<string>;
  /** SIGKILL: no shutdown hook runs, like a crashed machine. Resolves once the process is gone. */
  kill9(): Promise<void>;
}

/** Runs a TypeScript file in a child Node process through tools/register.cjs. */
export function spawnTs(file: string, env: Record<string, string>, ready: RegExp): TsProcess {
  const child = spawn(process.execPath, ['--require', join(REPO_ROOT, 'tools/register.cjs'), file], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readyLine = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const line = buffer.split('\n').find((l) => ready.test(l));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
  });
  return {
    child,
    ready: readyLine,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
