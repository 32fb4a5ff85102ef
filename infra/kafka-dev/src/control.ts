import { type Socket, connect } from 'node:net';

/** A broker id (1..N) or every broker. */
export type BrokerTarget = number | 'all';

/** Kafka protocol API keys that are useful targets for injected errors. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  SyncGroup: 14,
} as const;

/** Kafka protocol error codes commonly injected by the chaos tests. */
export const KafkaErrorCode = {
  NotLeaderForPartition: 6,
  RequestTimedOut: 7,
  NotEnoughReplicas: 19,
  NotCoordinator: 16,
  CoordinatorNotAvailable: 15,
} as const;

/**
 * Client for the dev broker's control port: a line protocol where each
 * command gets one reply line, "ok ..." or "error ...". Any process that
 * knows the control address can drive faults.
 */
export class KafkaDevControl {
  private buffer = '';
  private readonly waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.failAll(new Error('kafka-dev control connection closed')));
    socket.on('error', (err) => this.failAll(err));
  }

  static connect(address: string): Promise<KafkaDevControl> {
    const [host, port] = splitAddress(address);
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => {
        socket.off('error', reject);
        resolve(new KafkaDevControl(socket));
      });
      socket.once('error', reject);
    });
  }

  async send(command: string): Promise<string> {
    const reply = await new Promise<string>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(`${command}\n`);
    });
    if (!reply.startsWith('ok')) throw new Error(`kafka-dev '${command}' failed: ${reply}`);
    return reply.slice(2).trim();
  }

  createTopic(name: string, partitions: number, replicationFactor?: number): Promise<string> {
    return this.send(
      ['create-topic', name, partitions, replicationFactor].filter((p) => p !== undefined).join(' '),
    );
  }

  brokerDown(target: BrokerTarget = 'all'): Promise<string> {
    return this.send(`broker-down ${target}`);
  }

  brokerUp(target: BrokerTarget = 'all'): Promise<string> {
    return this.send(`broker-up ${target}`);
  }

  /** Adds round-trip latency to every request the broker(s) answer. */
  setRtt(target: BrokerTarget, ms: number): Promise<string> {
    return this.send(`rtt ${target} ${ms}`);
  }

  /** The next `count` requests of `apiKey` fail with `errorCode`. */
  pushRequestErrors(apiKey: number, errorCode: number, count = 1): Promise<string> {
    return this.send(`request-errors ${apiKey} ${errorCode} ${count}`);
  }

  clearRequestErrors(apiKey: number): Promise<string> {
    return this.send(`clear-request-errors ${apiKey}`);
  }

  close(): void {
    this.socket.end();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.waiting.shift()?.resolve(line);
    }
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}
