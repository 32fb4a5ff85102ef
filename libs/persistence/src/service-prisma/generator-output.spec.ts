import { absoluteGeneratorOutputs, generatorOutputs } from './generator-output';

const schema = `datasource db {
  provider = "postgresql"
}

generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}

model A {
  id     Int    @id
  output String @default("keep me")
}
`;

describe('generator outputs', () => {
  it('resolves a relative output from the folder of the schema file', () => {
    const rewritten = absoluteGeneratorOutputs(schema, '/repo/services/order/prisma');
    expect(generatorOutputs(rewritten)).toEqual(['/repo/services/order/src/generated/prisma']);
    expect(rewritten).toContain('output String @default("keep me")'); // models untouched
  });

  it('replaces the output when told to', () => {
    expect(generatorOutputs(absoluteGeneratorOutputs(schema, '/x', '/tmp/out'))).toEqual(['/tmp/out']);
  });

  it('keeps absolute outputs and files without generators as they are', () => {
    const absolute = schema.replace('../src/generated/prisma', '/abs/out');
    expect(generatorOutputs(absoluteGeneratorOutputs(absolute, '/x'))).toEqual(['/abs/out']);
    expect(absoluteGeneratorOutputs('model A {\n  id Int @id\n}\n', '/x')).toBe(
      'model A {\n  id Int @id\n}\n',
    );
  });
});
