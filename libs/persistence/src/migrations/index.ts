export * from './migrate';
export * from './schema-files';
export { runSchemaEngine, SchemaEngineError, type SchemaFile } from './schema-engine';
