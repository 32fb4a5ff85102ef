export * from './prisma-sql-client';
export * from './create-prisma-client';
export { PrismaSqlError } from './prisma-values';
