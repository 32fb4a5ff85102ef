import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { STATE_FILE } from './paths';

/** What a running foreground dev broker publishes for other processes. */
export interface KafkaDevState {
  bootstrapServers: string[];
  controlAddress: string;
  pid: number;
}

export function writeState(state: KafkaDevState, file = STATE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** The published state, if a dev broker is running (its pid is alive). */
export function readLiveState(file = STATE_FILE): KafkaDevState | undefined {
  let state: KafkaDevState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as KafkaDevState;
  } catch {
    return undefined;
  }
  try {
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

export function removeState(file = STATE_FILE): void {
  rmSync(file, { force: true });
}
