import { existsSync } from 'node:fs';
import { request } from 'node:http';

/**
 * Where integration tests get Postgres, Redis and Kafka:
 * - `native`: the local servers plus the Kafka dev broker (these machines);
 * - `containers`: testcontainers, when a Docker engine answers.
 * SHOP_TEST_INFRA forces one; otherwise Docker is used only if it answers a
 * ping within a second, so machines without an engine never try it.
 */
export type InfraMode = 'native' | 'containers';

export async function detectInfraMode(
  env: Record<string, string | undefined> = process.env,
): Promise<InfraMode> {
  const forced = env.SHOP_TEST_INFRA;
  if (forced === 'native' || forced === 'containers') return forced;
  if (forced) throw new Error(`SHOP_TEST_INFRA must be 'native' or 'containers', got '${forced}'`);
  return (await dockerAnswers(env)) ? 'containers' : 'native';
}

async function dockerAnswers(env: Record<string, string | undefined>): Promise<boolean> {
  const host = env.DOCKER_HOST;
  if (host && !host.startsWith('unix://')) return pingDocker({ url: host.replace(/^tcp:/, 'http:') });
  const socketPath = host ? host.slice('unix://'.length) : '/var/run/docker.sock';
  if (!existsSync(socketPath)) return false;
  return pingDocker({ socketPath });
}

function pingDocker(target: { socketPath: string } | { url: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const options =
      'socketPath' in target
        ? { socketPath: target.socketPath, path: '/_ping' }
        : new URL('/_ping', target.url);
    const req = request(options, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
