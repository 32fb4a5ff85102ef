/** What the db tools share: which services they act on, and how they report. */
import { SERVICE_NAMES, serviceDefinition, type ServiceName } from '@shop/config';

type Env = Record<string, string | undefined>;

export interface DbToolOptions {
  /** The services/ folder; the workspace's by default (tests point it elsewhere). */
  servicesDir?: string;
  env?: Env;
  log?: (line: string) => void;
}

/** `only` (a service named on the command line) or every candidate. */
export function selectServices(
  candidates: readonly string[],
  only: string | undefined,
  what: string,
): string[] {
  if (only === undefined) return [...candidates];
  if (!candidates.includes(only)) {
    throw new Error(
      `Service '${only}' has no ${what} (services with one: ${candidates.join(', ') || 'none'})`,
    );
  }
  return [only];
}

/** A services/ folder name that is a service of the catalog (libs/config) owning a database. */
export function serviceWithDatabase(folder: string): { service: ServiceName; database: string } {
  const service = SERVICE_NAMES.find((n) => n === folder);
  if (!service)
    throw new Error(`services/${folder} is not in the service catalog (libs/config/src/services.ts)`);
  const { database } = serviceDefinition(service);
  if (!database) throw new Error(`Service '${service}' owns no database in the service catalog`);
  return { service, database };
}

/** Runs a CLI's main, printing a failure as one message and exiting non-zero. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
