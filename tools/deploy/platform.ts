/**
 * What compose and Kubernetes must agree with, read from the platform's own
 * sources: the service catalog (libs/config), each service's env schema
 * (services/<name>/src/config.ts, exported as `<name>Env`), the topic
 * registry (libs/contracts) and the consumer groups found in the services.
 */
import { join } from 'node:path';
import { SERVICES, type ServiceDefinition, type ServiceName } from '@shop/config';
import { ALL_TOPICS, deadLetterTopic, type TopicDefinition } from '@shop/contracts';
import { envVariablesOf, isPassthroughVariable } from '@shop/service-kit';
import type { z } from 'zod';
import { scanConsumerGroups, type ConsumerGroup } from './consumer-groups';

export const REPO_ROOT = join(__dirname, '..', '..');

/** The services that are deployed: every service of the catalog. */
export const DEPLOYED_SERVICES: readonly ServiceDefinition[] = SERVICES;

/** Services that keep no state in the process (all of them: state is in Postgres, Redis, Kafka). */
export const REPLICATED_SERVICES: readonly ServiceName[] = ['order', 'inventory', 'payment'];

/** The env schema a service exports from src/config.ts (`catalogEnv`, `orderEnv` ...). */
export function envSchemaOf(service: ServiceName): z.ZodObject {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- one module per service, chosen at run time
  const module = require(join(REPO_ROOT, 'services', service, 'src', 'config.ts')) as Record<string, unknown>;
  const schema = module[`${service}Env`] as z.ZodObject | undefined;
  if (!schema?.shape)
    throw new Error(`services/${service}/src/config.ts exports no env schema named ${service}Env`);
  return schema;
}

export function envSchemas(): Record<ServiceName, z.ZodObject> {
  return Object.fromEntries(DEPLOYED_SERVICES.map((s) => [s.name, envSchemaOf(s.name)])) as Record<
    ServiceName,
    z.ZodObject
  >;
}

export interface EnvProblem {
  readonly service: string;
  readonly problem: string;
}

/**
 * Compares the variables a deployment gives a service with its schema:
 * every required variable set, nothing the schema does not know (OTEL_*
 * passes through to the SDK), PORT equal to the catalog's port, and the
 * whole environment accepted by the schema itself (values too).
 */
export function checkServiceEnv(
  service: ServiceName,
  env: Record<string, string>,
  schema: z.ZodObject = envSchemaOf(service),
): EnvProblem[] {
  const problems: string[] = [];
  const variables = envVariablesOf(schema);
  const known = new Set(variables.map((v) => v.name));
  for (const v of variables)
    if (v.required && !(v.name in env)) problems.push(`${v.name} is required but not set`);
  for (const name of Object.keys(env))
    if (!known.has(name) && !isPassthroughVariable(name))
      problems.push(`${name} is not a variable of its schema`);
  const port = DEPLOYED_SERVICES.find((s) => s.name === service)!.httpPort;
  if (env.PORT !== undefined && Number(env.PORT) !== port)
    problems.push(`PORT is ${env.PORT}, the service catalog says ${port}`);
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
  return problems.map((problem) => ({ service, problem }));
}

export function consumerGroups(): ConsumerGroup[] {
  const scan = scanConsumerGroups(REPO_ROOT, envSchemas());
  if (scan.unresolved.length)
    throw new Error(`Unresolved consumer groups:\n  ${scan.unresolved.join('\n  ')}`);
  return scan.groups;
}

/** Every topic a real Kafka needs: the registry, then one dead-letter topic per consumer group. */
export function deploymentTopics(groups: readonly ConsumerGroup[] = consumerGroups()): TopicDefinition[] {
  return [...ALL_TOPICS, ...groups.map((g) => deadLetterTopic(g.groupId))];
}
