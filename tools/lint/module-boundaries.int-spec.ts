import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Runs the repository's real ESLint config and Nx module-boundary rule on a
 * scratch workspace with two services and a lib, and checks which imports
 * it rejects. The scratch workspace keeps the real tree untouched.
 */
const repoRoot = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

describe('module boundaries', () => {
  let workspace: string;

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'shop-boundaries-'));
    const write = (path: string, content: string): void => {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), content);
    };
    const project = (root: string, name: string, tag: string): void =>
      write(
        `${root}/package.json`,
        JSON.stringify({ name, version: '0.0.0', main: './src/index.ts', nx: { tags: [tag] } }),
      );

    write(
      'package.json',
      JSON.stringify({ name: 'scratch', private: true, workspaces: ['libs/*', 'services/*'] }),
    );
    write('nx.json', JSON.stringify({ useDaemonProcess: false, analytics: false }));
    write('tsconfig.base.json', '{}');
    write(
      'eslint.config.mjs',
      `export { default } from ${JSON.stringify(join(repoRoot, 'eslint.config.mjs'))};\n`,
    );
    symlinkSync(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'));

    project('services/order', '@probe/order', 'type:service');
    project('services/catalog', '@probe/catalog', 'type:service');
    project('libs/common', '@probe/common', 'type:lib');
    write('services/catalog/src/index.ts', 'export const catalogName = "catalog";\n');
    write('services/order/src/index.ts', 'export const orderName = "order";\n');
    write('libs/common/src/index.ts', 'export const shared = 1;\n');
    write(
      'services/order/src/uses-lib.ts',
      "import { shared } from '@probe/common';\nexport const a = shared;\n",
    );
    write(
      'services/order/src/uses-service.ts',
      "import { catalogName } from '@probe/catalog';\nexport const b = catalogName;\n",
    );
    write(
      'services/order/src/uses-service-path.ts',
      "import { catalogName } from '../../catalog/src/index';\nexport const c = catalogName;\n",
    );
    write(
      'libs/common/src/uses-service.ts',
      "import { orderName } from '@probe/order';\nexport const d = orderName;\n",
    );

    execFileSync(join(repoRoot, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: workspace,
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  const boundaryErrors = (file: string): string[] => {
    let output: string;
    try {
      output = execFileSync(join(repoRoot, 'node_modules/.bin/eslint'), ['--format', 'json', file], {
        cwd: workspace,
        encoding: 'utf8',
      });
    } catch (err) {
      output = (err as { stdout: string }).stdout; // eslint exits 1 when it finds errors
    }
    const [result] = JSON.parse(output) as { messages: LintMessage[] }[];
    return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  };

  it('lets a service import a lib', () => {
    expect(boundaryErrors('services/order/src/uses-lib.ts')).toEqual([]);
  });

  it('rejects a service importing another service', () => {
    expect(boundaryErrors('services/order/src/uses-service.ts')).toEqual([
      expect.stringContaining('type:service'),
    ]);
  });

  it('rejects a service reaching into another service by relative path', () => {
    expect(boundaryErrors('services/order/src/uses-service-path.ts')).toHaveLength(1);
  });

  it('rejects a lib importing a service', () => {
    expect(boundaryErrors('libs/common/src/uses-service.ts')).toEqual([expect.stringContaining('type:lib')]);
  });
});
