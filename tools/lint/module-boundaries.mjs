// Which kind of project may import which, by Nx tag. Services never import
// each other (they talk through Kafka or HTTP); libs never import services.
export const depConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:infra', 'type:testing'] },
];

export const moduleBoundariesRule = [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints },
];
