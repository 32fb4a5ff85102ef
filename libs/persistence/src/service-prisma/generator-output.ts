import { isAbsolute, resolve } from 'node:path';

const GENERATOR_BLOCK = /^\s*generator\s+\w+\s*\{[^}]*\}/gm;
const OUTPUT_LINE = /^(\s*output\s*=\s*)"((?:[^"\\]|\\.)*)"/m;

/**
 * Rewrites the `output` of every generator block in a schema file to an
 * absolute path: resolved from `baseDir` (the folder of the file it was
 * written in, as Prisma reads it) or replaced by `override`. Needed because
 * the composed schema is handed to the Prisma CLI from another folder.
 */
export function absoluteGeneratorOutputs(content: string, baseDir: string, override?: string): string {
  return content.replace(GENERATOR_BLOCK, (block) =>
    block.replace(OUTPUT_LINE, (_line, prefix: string, written: string) => {
      const output = unquote(written);
      const target = override ?? (isAbsolute(output) ? output : resolve(baseDir, output));
      return `${prefix}${JSON.stringify(target)}`;
    }),
  );
}

/** The `output` paths of the generator blocks of a schema file. */
export function generatorOutputs(content: string): string[] {
  return [...content.matchAll(GENERATOR_BLOCK)]
    .map(([block]) => OUTPUT_LINE.exec(block)?.[2])
    .filter((output): output is string => output !== undefined)
    .map(unquote);
}

function unquote(written: string): string {
  return JSON.parse(`"${written}"`) as string;
}
