import { cacheEntryKeys, entryPrefixPattern, escapeGlob, isValueKey } from './cache-keys';

describe('cache entry keys', () => {
  it('keeps value and fill claim in one hash slot and tells them apart', () => {
    const keys = cacheEntryKeys('cache', 'order:42');
    expect(keys).toEqual({ value: 'cache:{order:42}', fill: 'cache:{order:42}:fill' });
    expect(isValueKey(keys.value)).toBe(true);
    expect(isValueKey(keys.fill)).toBe(false);
  });

  it('never maps a value key and a claim key of different entries to the same name', () => {
    expect(cacheEntryKeys('c', 'a}:fill').value).not.toBe(cacheEntryKeys('c', 'a').fill);
  });

  it('builds a prefix pattern below the client keyPrefix, with glob characters escaped', () => {
    expect(entryPrefixPattern('svc:', 'cache', 'user:7:')).toBe('svc:cache:{user:7:*');
    expect(entryPrefixPattern('', 'cache', 'sku[*]')).toBe('cache:{sku\\[\\*\\]*');
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
  });
});
