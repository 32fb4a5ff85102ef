import { isProbePath, modulesLoadedTooEarly } from './instrumentations';

describe('isProbePath', () => {
  it('matches health probes and the metrics scrape, with or without a query', () => {
    expect(isProbePath('/health/ready')).toBe(true);
    expect(isProbePath('/health/live?verbose=1')).toBe(true);
    expect(isProbePath('/metrics')).toBe(true);
    expect(isProbePath('/orders/1')).toBe(false);
    expect(isProbePath('/healthy')).toBe(false);
    expect(isProbePath(undefined)).toBe(false);
  });
});

describe('modulesLoadedTooEarly', () => {
  it('names instrumented packages found in the module cache', () => {
    const loaded = [
      '/app/node_modules/pg/lib/index.js',
      '/app/node_modules/pg-pool/index.js',
      '/app/src/main.js',
    ];
    expect(modulesLoadedTooEarly(loaded)).toEqual(['pg']);
    expect(modulesLoadedTooEarly(['/app/node_modules/@opentelemetry/api/index.js'])).toEqual([]);
  });
});
