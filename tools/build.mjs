// `npm run build`: compiles every project's TypeScript (libs, services, infra)
// with SWC into dist/, mirroring the tree (dist/services/order/src/main.js).
// Imports of workspace packages (`@shop/config`) are rewritten to relative
// paths inside dist/, so compiled services run with plain `node` and only
// third-party packages in node_modules. Type-checking is `npm run typecheck`.
//   node tools/build.mjs [--out-dir DIR]
import { transformFile } from '@swc/core';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const swcOptions = require('./swc-options.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out-dir');
const outDir = outArg > 0 ? process.argv[outArg + 1] : join(root, 'dist');
const GROUPS = ['libs', 'services', 'infra'];

/** Every workspace project: its folder and package name. */
function projects() {
  return GROUPS.flatMap((group) => {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) return [];
    return readdirSync(groupDir)
      .map((name) => join(groupDir, name))
      .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src')))
      .map((dir) => ({ dir, name: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name }));
  });
}

// Generated code (src/generated: the Prisma clients of `npm run db:generate`) is
// compiled too: compiled services import it, and container images carry no TypeScript.
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(int-)?spec\.ts$/.test(entry) ? [path] : [];
  });
}

async function main() {
  const all = projects();
  // SWC rewrites these aliases to relative paths in the output.
  const paths = Object.fromEntries(
    all.flatMap((p) => [
      [p.name, [`./${relative(root, join(p.dir, 'src', 'index.ts'))}`]],
      // subpath entries such as @shop/messaging/nest
      [`${p.name}/*`, [`./${relative(root, join(p.dir, 'src'))}/*`]],
    ]),
  );
  const options = { ...swcOptions({ sourceMaps: true }), swcrc: false };
  options.jsc = { ...options.jsc, baseUrl: root, paths };

  rmSync(outDir, { recursive: true, force: true });
  let count = 0;
  for (const project of all) {
    for (const file of sourceFiles(join(project.dir, 'src'))) {
      const { code, map } = await transformFile(file, { ...options, filename: file, outputPath: file });
      const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, map ? `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n` : code);
      if (map) writeFileSync(`${target}.map`, map);
      count++;
    }
    // Packages npm installed inside the project (when their version conflicts with the
    // root's, e.g. libs/health/node_modules/@nestjs/terminus) go beside the compiled code,
    // so `require` from dist/ finds them as it does from the sources.
    const nested = join(project.dir, 'node_modules');
    if (existsSync(nested)) {
      cpSync(nested, join(outDir, relative(root, nested)), { recursive: true, verbatimSymlinks: true });
    }
    // Non-TypeScript runtime assets next to the sources (e.g. .mjs workers, .prisma fragments).
    for (const asset of ['src', 'prisma']) {
      const from = join(project.dir, asset);
      if (existsSync(from)) {
        cpSync(from, join(outDir, relative(root, from)), {
          recursive: true,
          filter: (src) => statSync(src).isDirectory() || !/\.ts$/.test(src),
        });
      }
    }
  }
  console.log(
    `build: compiled ${count} files of ${all.length} projects into ${relative(root, outDir) || outDir}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
