export * from './sql-client';
export * from './pg-sql-client';
export * from './prisma-client';
export * from './migrations';
export * from './service-prisma';
