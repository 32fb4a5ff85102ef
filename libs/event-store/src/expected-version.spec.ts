import { requiredVersion, satisfies, streamCategory } from './expected-version';

describe('expected version', () => {
  it('maps the keywords and numbers to the version the stream must be at', () => {
    expect(requiredVersion('no-stream')).toBe(0);
    expect(requiredVersion('any')).toBeNull();
    expect(requiredVersion(0)).toBe(0);
    expect(requiredVersion(42)).toBe(42);
  });

  it('rejects versions no stream can be at', () => {
    for (const bad of [-1, 1.5, Number.NaN, 'latest' as never]) {
      expect(() => requiredVersion(bad)).toThrow(RangeError);
    }
  });

  it('checks an actual version against the expectation', () => {
    expect(satisfies('no-stream', 0)).toBe(true);
    expect(satisfies('no-stream', 1)).toBe(false);
    expect(satisfies('any', 17)).toBe(true);
    expect(satisfies(3, 3)).toBe(true);
    expect(satisfies(3, 4)).toBe(false);
    expect(satisfies(3, 2)).toBe(false);
  });
});

describe('streamCategory', () => {
  it('is the part before the first dash', () => {
    expect(streamCategory('order-0190a3c4-7e2b-7cc1-8f00-1234567890ab')).toBe('order');
    expect(streamCategory('inventory-sku-1')).toBe('inventory');
  });

  it('is the whole id when there is no type prefix', () => {
    expect(streamCategory('standalone')).toBe('standalone');
    expect(streamCategory('-leading')).toBe('-leading');
  });
});
