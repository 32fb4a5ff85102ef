// Which kind of project may import which, by Nx tag. Services never import
// each other (they talk through Kafka or HTTP); libs never import services.
// `type:testing` (the test harness) is for tests and benchmarks only:
// productionCodeRules below keeps it out of non-test sources.
export const depConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:infra', 'type:testing'] },
];

export const moduleBoundariesRule = [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints },
];

export const testOnlyImports = {
  files: ['{libs,services}/*/src/**/*.ts'],
  // test-support/ and __fixtures__/ hold code only tests import (harness starters, fixture services).
  ignores: [
    '**/*.spec.ts',
    '**/*.int-spec.ts',
    '**/test-support/**',
    '**/__fixtures__/**',
    'libs/testing/**',
  ],
  rules: {
    'no-restricted-imports': [
      'error',
      { paths: [{ name: '@shop/testing', message: 'The test harness is for tests and benchmarks only.' }] },
    ],
  },
};
