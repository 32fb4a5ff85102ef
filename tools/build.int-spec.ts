import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

/** The compiled output runs under plain Node, with workspace imports resolved inside it. */
describe('npm run build', () => {
  const root = join(__dirname, '..');
  let outDir: string;
  beforeAll(() => {
    // Inside the repository (gitignored .shop/) so compiled code finds node_modules.
    mkdirSync(join(root, '.shop'), { recursive: true });
    outDir = mkdtempSync(join(root, '.shop', 'build-test-'));
    execFileSync(process.execPath, [join(root, 'tools/build.mjs'), '--out-dir', outDir], { cwd: root });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const runCompiled = (script: string) =>
    execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim();

  it('compiles projects so that one imports another without the TypeScript hook', () => {
    const script = `const { ensureDatabases } = require(${JSON.stringify(join(outDir, 'infra/local/src/index.js'))});
      const { serviceDatabaseUrl } = require(${JSON.stringify(join(outDir, 'libs/config/src/index.js'))});
      console.log(typeof ensureDatabases, serviceDatabaseUrl('order', {}));`;
    expect(runCompiled(script)).toBe('function postgresql://postgres@127.0.0.1:5432/shop_order');
  });

  it("compiles each service's generated Prisma client, which then queries Postgres with no TypeScript", () => {
    // Container images carry only dist/: the client of `npm run db:generate` must be in it.
    const client = join(outDir, 'services/catalog/src/generated/prisma/client.js');
    expect(existsSync(client)).toBe(true);
    const script = `const { PrismaClient } = require(${JSON.stringify(client)});
      const { createPrismaClient } = require(${JSON.stringify(join(outDir, 'libs/persistence/src/index.js'))});
      const prisma = createPrismaClient(PrismaClient, process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
      prisma.$queryRawUnsafe('SELECT 41 + 1 AS answer')
        .then((rows) => console.log(rows[0].answer))
        .finally(() => prisma.$disconnect());`;
    expect(runCompiled(script)).toBe('42');
  });

  it('keeps packages installed inside a project beside its compiled code', () => {
    // libs/health/node_modules/@nestjs/terminus: not reachable from dist/ unless copied
    const script = `require(${JSON.stringify(join(outDir, 'libs/health/src/index.js'))}); console.log('ok')`;
    expect(runCompiled(script)).toBe('ok');
  });

  it('needs only production dependencies at run time (what container images install)', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const shipped = ['libs', 'services'].flatMap((dir) => compiledFiles(join(outDir, dir)));
    const notProduction = new Set<string>();
    for (const file of shipped) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(
        /(?:require\(|import\(|from\s+|import\s+)["']([^"'./][^"']*)["']/g,
      )) {
        if (specifier!.startsWith('node:') || builtinModules.includes(specifier!.split('/')[0]!)) continue;
        const name = specifier!
          .split('/')
          .slice(0, specifier!.startsWith('@') ? 2 : 1)
          .join('/');
        const projectDir = relative(outDir, file).split('/').slice(0, 2).join('/');
        const entry =
          lock.packages[`node_modules/${name}`] ?? lock.packages[`${projectDir}/node_modules/${name}`];
        if (!entry || entry.dev) notProduction.add(`${name} (${relative(outDir, file)})`);
      }
    }
    expect([...notProduction]).toEqual([]);
  });
});

/** Compiled files a service image runs: no tests' support code, no fixtures, no installed packages. */
function compiledFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'testing', 'test-support', '__fixtures__', 'test-fixtures'].includes(entry.name)
        ? []
        : compiledFiles(path);
    return /\.(c|m)?js$/.test(entry.name) ? [path] : [];
  });
}
