// Test helpers (import from '@shop/discovery/test-support' in tests only).
export * from './spawn-ts';
