import { serviceDefinition } from '@shop/config';
import {
  formatLogLine,
  generateSecrets,
  REPO_ROOT,
  Stack,
  STACK_SERVICES,
  type StackOptions,
  type StackService,
} from '@shop/local-infra';
import { createTestDatabase, uniqueName, type TestDatabase } from '@shop/testing';
import { join } from 'node:path';

export interface TestStack {
  readonly stack: Stack;
  /** Where each instance's log is (`<dir>/<instance>.log`): read it when a test fails. */
  readonly logDir: string;
  dispose(): Promise<void>;
}

export type TestStackOptions = Omit<
  StackOptions,
  'secrets' | 'databaseName' | 'redisKeyPrefix' | 'ports' | 'logDir'
>;

/**
 * The shop for a suite: fresh databases (dropped afterwards), its own Redis
 * key prefix, its own Kafka dev broker, free ports, fresh secrets; logs in
 * `.shop/e2e-logs/<run>/`. Set E2E_ECHO_LOGS=1 to see them live.
 */
export async function startTestStack(label: string, options: TestStackOptions = {}): Promise<TestStack> {
  const services: readonly StackService[] = options.services ?? STACK_SERVICES;
  const withDatabase = services.filter((service) => serviceDefinition(service).database);
  const databases = new Map<StackService, TestDatabase>();
  for (const service of withDatabase) databases.set(service, await createTestDatabase(`${label}-${service}`));
  const run = uniqueName('e2e', label);
  const logDir = join(REPO_ROOT, '.shop', 'e2e-logs', run);
  try {
    const stack = await Stack.start({
      logLevel: 'info',
      ...options,
      secrets: generateSecrets(),
      ports: 'free',
      databaseName: (service) => databases.get(service)!.name,
      redisKeyPrefix: `${run}:`,
      logDir,
      onLog: process.env.E2E_ECHO_LOGS
        ? (instance, line) => console.log(formatLogLine(instance, line))
        : undefined,
    });
    return {
      stack,
      logDir,
      dispose: async () => {
        await stack.stop();
        await dropAll(databases);
      },
    };
  } catch (error) {
    await dropAll(databases);
    throw new Error(`The stack did not start (logs: ${logDir}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function dropAll(databases: Map<StackService, TestDatabase>): Promise<void> {
  await Promise.all([...databases.values()].map((database) => database.drop().catch(() => undefined)));
}
