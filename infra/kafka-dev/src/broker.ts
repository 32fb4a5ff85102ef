import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ALL_TOPICS, type TopicDefinition } from '@shop/contracts';
import { KafkaDevControl } from './control';
import { BROKER_BINARY, BUILD_SCRIPT } from './paths';

export interface KafkaDevBrokerOptions {
  /** Number of brokers in the cluster (default 3). */
  brokers?: number;
  /** Topics created at start (default: every topic the platform declares). */
  topics?: readonly Pick<TopicDefinition, 'name' | 'partitions'>[];
  /** Control port (default: any free port). */
  controlPort?: number;
  /** Forward the launcher's stdin (interactive use). */
  interactive?: boolean;
  /**
   * Own process group: a Ctrl-C in the terminal reaches only the parent,
   * which can then stop the services that use the broker before the broker.
   */
  detached?: boolean;
}

export interface KafkaDevBroker {
  readonly bootstrapServers: string[];
  readonly controlAddress: string;
  readonly control: KafkaDevControl;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Builds the launcher if its binary is missing or older than its source. */
export function ensureBrokerBinary(): string {
  execFileSync(process.execPath, [BUILD_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
  return BROKER_BINARY;
}

/** Starts a dev broker cluster and resolves once it accepts connections. */
export async function startKafkaDevBroker(options: KafkaDevBrokerOptions = {}): Promise<KafkaDevBroker> {
  const binary = ensureBrokerBinary();
  const args = [
    '--brokers',
    String(options.brokers ?? 3),
    '--control-port',
    String(options.controlPort ?? 0),
  ];
  for (const topic of options.topics ?? ALL_TOPICS) args.push('--topic', `${topic.name}:${topic.partitions}`);

  const child = spawn(binary, args, {
    stdio: [options.interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'],
    detached: options.detached ?? false,
  });
  const ready = await waitForReadyLine(child, options.interactive ?? false);
  const control = await KafkaDevControl.connect(ready.control);
  return {
    bootstrapServers: ready.bootstrap.split(','),
    controlAddress: ready.control,
    control,
    pid: child.pid!,
    stop: () => stopChild(child, control),
  };
}

function waitForReadyLine(
  child: ChildProcess,
  echoAfterReady: boolean,
): Promise<{ bootstrap: string; control: string }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`kafka-dev broker exited early (code ${code})`));
    child.once('exit', onExit);
    child.once('error', reject);
    let isReady = false;
    lines.on('line', (line) => {
      if (isReady) {
        if (echoAfterReady) console.log(line); // replies to commands typed on stdin
        return;
      }
      const match = /^READY bootstrap=(\S+) control=(\S+)/.exec(line);
      if (!match) return;
      isReady = true;
      child.off('exit', onExit);
      resolve({ bootstrap: match[1]!, control: match[2]! });
    });
  });
}

function stopChild(child: ChildProcess, control: KafkaDevControl): Promise<void> {
  control.close();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
