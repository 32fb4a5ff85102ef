import { assertModelsOnly, parseFragmentList } from './fragments';

describe('fragments.json', () => {
  it('lists package paths of .prisma files', () => {
    expect(
      parseFragmentList(
        '["@shop/messaging/prisma/outbox.prisma", "@shop/event-store/prisma/event-store.prisma"]',
        'f',
      ),
    ).toEqual(['@shop/messaging/prisma/outbox.prisma', '@shop/event-store/prisma/event-store.prisma']);
    expect(parseFragmentList('[]', 'f')).toEqual([]);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{"a": 1}', /must be a JSON array/],
    ['[1]', /must be a JSON array/],
    ['["./local.prisma"]', /not a package path/],
    ['["/abs/outbox.prisma"]', /not a package path/],
    ['["@shop/messaging/src/index.ts"]', /not a package path/],
    ['["@shop/a/x.prisma", "@shop/a/x.prisma"]', /twice/],
  ])('rejects %s', (json, message) => {
    expect(() => parseFragmentList(json, 'services/x/prisma/fragments.json')).toThrow(message);
  });

  it('accepts models and enums in a fragment, but no datasource or generator', () => {
    expect(() => assertModelsOnly('f', 'model A {\n  id Int @id\n}\nenum E {\n  X\n}\n')).not.toThrow();
    expect(() => assertModelsOnly('f', 'datasource db {\n  provider = "postgresql"\n}\n')).toThrow(
      /declares a datasource block/,
    );
    expect(() => assertModelsOnly('f', '  generator client {\n}\n')).toThrow(/declares a generator block/);
  });
});
