import { serviceDefinition, type ServiceName } from '@shop/config';

/** The services of the shop in start order: the gateway last, once its upstreams answer. */
export const STACK_SERVICES = [
  'user',
  'catalog',
  'inventory',
  'payment',
  'order',
  'notification',
  'gateway',
] as const satisfies readonly ServiceName[];
export type StackService = (typeof STACK_SERVICES)[number];

/** Two instances of the services that carry the saga, to show balancing and survive a kill. */
export const DEFAULT_INSTANCES: Readonly<Record<StackService, number>> = {
  user: 1,
  catalog: 1,
  inventory: 2,
  payment: 2,
  order: 2,
  notification: 1,
  gateway: 1,
};

/** Second and later instances listen on the default port + 100 each (order: 3003, 3103). */
export const INSTANCE_PORT_STRIDE = 100;

export interface PlannedInstance {
  /** `order-2` */
  readonly name: string;
  readonly service: StackService;
  /** 1-based. */
  readonly ordinal: number;
  /** 0 = pick a free port when starting. */
  readonly port: number;
}

export interface StackPlanOptions {
  /** Which services to run (default all); instance counts default to DEFAULT_INSTANCES. */
  services?: readonly StackService[];
  instances?: Partial<Record<StackService, number>>;
  /** 'default': the documented ports (npm start); 'free': any free port (tests). */
  ports?: 'default' | 'free';
}

/** Pure: which instances a stack runs and on which ports. */
export function planStack(options: StackPlanOptions = {}): PlannedInstance[] {
  const services = STACK_SERVICES.filter((service) => (options.services ?? STACK_SERVICES).includes(service));
  return services.flatMap((service) => {
    const count = options.instances?.[service] ?? DEFAULT_INSTANCES[service];
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`${service}: instance count must be >= 0, got ${count}`);
    return Array.from({ length: count }, (_, index) => ({
      name: `${service}-${index + 1}`,
      service,
      ordinal: index + 1,
      port: options.ports === 'free' ? 0 : defaultPort(service, index + 1),
    }));
  });
}

export function defaultPort(service: StackService, ordinal: number): number {
  return serviceDefinition(service).httpPort + (ordinal - 1) * INSTANCE_PORT_STRIDE;
}
