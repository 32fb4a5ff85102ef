/**
 * The platform's service catalog: one place that names every service, its
 * HTTP port and its database. The local stack, provisioning, compose and
 * Kubernetes checks all read this table.
 */
export interface ServiceDefinition {
  /** Short name, also the Nx project folder under services/. */
  readonly name: ServiceName;
  /** Default HTTP port when running natively (one instance). */
  readonly httpPort: number;
  /** Postgres database owned by the service, or null if it keeps no state there. */
  readonly database: string | null;
}

export const SERVICE_NAMES = [
  'gateway',
  'user',
  'catalog',
  'order',
  'inventory',
  'payment',
  'notification',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SERVICES: readonly ServiceDefinition[] = [
  { name: 'gateway', httpPort: 8080, database: null },
  { name: 'user', httpPort: 3001, database: 'shop_user' },
  { name: 'catalog', httpPort: 3002, database: 'shop_catalog' },
  { name: 'order', httpPort: 3003, database: 'shop_order' },
  { name: 'inventory', httpPort: 3004, database: 'shop_inventory' },
  { name: 'payment', httpPort: 3005, database: 'shop_payment' },
  { name: 'notification', httpPort: 3006, database: 'shop_notification' },
];

export function serviceDefinition(name: ServiceName): ServiceDefinition {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`Unknown service '${name}'`);
  return found;
}

export function servicesWithDatabase(): (ServiceDefinition & { database: string })[] {
  return SERVICES.filter((s): s is ServiceDefinition & { database: string } => s.database !== null);
}
