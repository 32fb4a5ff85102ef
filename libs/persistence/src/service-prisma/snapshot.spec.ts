import { renderSnapshot } from './snapshot';

describe('schema snapshot', () => {
  it('concatenates the composed files under their names, in order', () => {
    const snapshot = renderSnapshot([
      { path: 'schema.prisma', content: 'model A {\n  id Int @id\n}\n\n' },
      { path: '@shop/messaging/prisma/outbox.prisma', content: 'model B {\n  id Int @id\n}' },
    ]);
    expect(snapshot).toMatch(/^\/\/ Composed Prisma schema/);
    expect(snapshot.indexOf('// ---- schema.prisma ----\nmodel A')).toBeGreaterThan(0);
    expect(snapshot).toContain(
      '}\n\n// ---- @shop/messaging/prisma/outbox.prisma ----\nmodel B {\n  id Int @id\n}\n',
    );
    expect(snapshot.endsWith('}\n')).toBe(true);
  });
});
