// Two Jest projects:
// - unit: `*.spec.ts`, pure logic, no I/O, runs in milliseconds;
// - integration: `*.int-spec.ts`, real Postgres, Redis and Kafka (dev broker
//   or testcontainers), provided by libs/testing's global setup;
// - e2e: `e2e/**/*.e2e-spec.ts`, the whole shop as separate processes
//   (infra/local's Stack), each suite with its own broker and databases.
const swcOptions = require('./tools/swc-options.cjs')();

const roots = ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/infra', '<rootDir>/tools', '<rootDir>/e2e'];
const common = {
  rootDir: __dirname,
  roots,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcOptions, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      slowTestThreshold: 30,
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/e2e/src/support/jest-setup.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      slowTestThreshold: 120,
    },
  ],
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.cjs'],
};
