export * from './layout';
export { resolveServiceSchema, fragmentPaths, type ServiceSchemaFile } from './compose';
export * from './create-migration';
export * from './generate';
export * from './migrate-database';
