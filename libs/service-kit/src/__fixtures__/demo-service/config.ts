import { z } from 'zod';
import { SERVICE_ENV_SCHEMAS } from '../../index'; // a service imports '@shop/service-kit'

/** The service's environment: the platform's common variables plus its own. */
export const catalogEnv = SERVICE_ENV_SCHEMAS.catalog.extend({
  CATALOG_PAGE_SIZE: z.coerce.number().int().min(1).max(200).default(50),
});
export type CatalogConfig = z.output<typeof catalogEnv>;
