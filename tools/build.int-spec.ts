import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

  it('compiles projects so that one imports another without the TypeScript hook', () => {
    const script = `const { ensureDatabases } = require(${JSON.stringify(join(outDir, 'infra/local/src/index.js'))});
      const { serviceDatabaseUrl } = require(${JSON.stringify(join(outDir, 'libs/config/src/index.js'))});
      console.log(typeof ensureDatabases, serviceDatabaseUrl('order', {}));`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(output.trim()).toBe('function postgresql://postgres@127.0.0.1:5432/shop_order');
  });
});
