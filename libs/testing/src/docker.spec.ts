import { detectInfraMode } from './docker';

describe('detectInfraMode', () => {
  it('obeys SHOP_TEST_INFRA', async () => {
    await expect(detectInfraMode({ SHOP_TEST_INFRA: 'containers' })).resolves.toBe('containers');
    await expect(detectInfraMode({ SHOP_TEST_INFRA: 'native' })).resolves.toBe('native');
    await expect(detectInfraMode({ SHOP_TEST_INFRA: 'docker' })).rejects.toThrow(/'native' or 'containers'/);
  });

  it('uses the local servers when no Docker socket exists', async () => {
    await expect(detectInfraMode({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).resolves.toBe('native');
  });

  it('uses the local servers when a Docker host does not answer', async () => {
    await expect(detectInfraMode({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).resolves.toBe('native');
  });
});
