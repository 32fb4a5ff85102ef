import type { Logger } from '@shop/telemetry';

/** The loaded InventoryConfig (src/config.ts). */
export const INVENTORY_CONFIG = Symbol('INVENTORY_CONFIG');
/** The service's pino logger. */
export const INVENTORY_LOGGER = Symbol('INVENTORY_LOGGER');
export type { Logger };

/**
 * Consumer groups. Commands and catalog events have groups of their own, so
 * a burst of product events never delays a reservation (and the reverse).
 */
export const COMMANDS_GROUP = 'inventory-commands';
export const CATALOG_GROUP = 'inventory-catalog-replica';
