import { cpus, totalmem } from 'node:os';

/** One printed figure of a benchmark. Compare figures of one run as ratios. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** e.g. "1.00x baseline" or "p99 12 ms". */
  note?: string;
}

export interface Throughput {
  operations: number;
  seconds: number;
  perSecond: number;
}

/** Runs `operation` `count` times with `concurrency` in flight; returns ops/s. */
export async function measureThroughput(
  count: number,
  concurrency: number,
  operation: (i: number) => Promise<unknown>,
): Promise<Throughput> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) await operation(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations: count, seconds, perSecond: count / seconds };
}

/** The value at quantile q (0..1) of `samples`. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function machineDescription(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** Prints a benchmark's figures as a Markdown table (paste into docs/benchmarks.md). */
export function printFigures(title: string, figures: readonly BenchFigure[]): void {
  const lines = [
    `### ${title}`,
    '',
    '| measure | value | unit | note |',
    '| --- | ---: | --- | --- |',
    ...figures.map((f) => `| ${f.name} | ${formatNumber(f.value)} | ${f.unit} | ${f.note ?? ''} |`),
    '',
  ];
  console.log(lines.join('\n'));
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}
