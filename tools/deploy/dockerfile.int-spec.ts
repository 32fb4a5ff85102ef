import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './platform';
import { lintDockerfileSyntax, policyProblems } from './validators';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'infra/docker/Dockerfile'), 'utf8');

describe('infra/docker/Dockerfile', () => {
  it('passes the Dockerfile linter (dockerfile-utils) without a finding', () => {
    expect(lintDockerfileSyntax(DOCKERFILE)).toEqual([]);
  });

  it("follows the platform's image rules", () => {
    expect(policyProblems(DOCKERFILE)).toEqual([]);
  });

  it('is refused by the linter once broken', () => {
    const broken = DOCKERFILE.replace('COPY . .', 'COPY .').replace('WORKDIR /app', 'WORKDRI /app');
    expect(lintDockerfileSyntax(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/COPY requires at least two arguments/),
        expect.stringMatching(/Unknown instruction: WORKDRI/),
      ]),
    );
  });

  it('is refused by the image rules once broken', () => {
    const asRoot = DOCKERFILE.replace(/^USER node$/m, 'USER root');
    expect(policyProblems(asRoot)).toEqual([expect.stringMatching(/runs as root/)]);
    const withCurl = DOCKERFILE.replace(
      /CMD \["node", "\/app\/container.mjs", "health", "live"\]/,
      'CMD curl -f http://localhost/health/live',
    );
    expect(policyProblems(withCurl)).toEqual([expect.stringMatching(/HEALTHCHECK must run node/)]);
    const unpinned = DOCKERFILE.replace('ARG NODE_IMAGE=node:24-bookworm-slim', 'ARG NODE_IMAGE=node');
    expect(policyProblems(unpinned)).toEqual([
      expect.stringMatching(/base image 'node' is not pinned/),
      expect.stringMatching(/base image 'node' is not pinned/),
    ]);
    expect(
      policyProblems(
        DOCKERFILE.replace(' \\\n && npm prune --omit=dev --ignore-scripts --no-audit --no-fund', ''),
      ),
    ).toEqual([expect.stringMatching(/no stage removes dev dependencies/)]);
  });

  it('has a .dockerignore that keeps installed and generated files out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', 'services/*/src/generated', '.git']),
    );
  });
});

describe('infra/docker/container.mjs health (the HEALTHCHECK command)', () => {
  let server: Server;
  let status = 200;
  let port: number;
  const paths: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url!);
      res.writeHead(status).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Asynchronous: the server answering the probe runs in this process.
  const health = (probe: string, env: Record<string, string>) =>
    new Promise<{ status: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(REPO_ROOT, 'infra/docker/container.mjs'), 'health', probe],
        { env: { PATH: process.env.PATH, ...env } },
        (err, _stdout, stderr) => resolve({ status: err ? Number(err.code) : 0, stderr }),
      );
    });

  it('exits 0 on 200 and 1 on 503, asking the probe it was given', async () => {
    status = 200;
    expect((await health('ready', { SHOP_SERVICE: 'order', PORT: String(port) })).status).toBe(0);
    status = 503;
    expect((await health('live', { SHOP_SERVICE: 'order', PORT: String(port) })).status).toBe(1);
    expect(paths).toEqual(['/health/ready', '/health/live']);
  });

  it('exits 1 when nothing listens, and without SHOP_SERVICE', async () => {
    expect((await health('live', { SHOP_SERVICE: 'order', PORT: '1' })).status).toBe(1);
    const missing = await health('live', { PORT: String(port) });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/SHOP_SERVICE is not set/);
  });
});
