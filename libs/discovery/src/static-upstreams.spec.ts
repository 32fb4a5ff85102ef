import { parseStaticUpstreams } from './static-upstreams';
import {
  instancesSignature,
  normalizeAddress,
  parseRegistryRecord,
  toServiceInstance,
} from './service-instance';

describe('parseStaticUpstreams', () => {
  it('reads GATEWAY_UPSTREAMS with several services, instances and weights', () => {
    const lists = parseStaticUpstreams(
      { GATEWAY_UPSTREAMS: 'order=http://b:3003|http://a:3003;weight=3, catalog=http://c:3002/' },
      [],
    );
    expect(lists.get('order')).toEqual([
      { service: 'order', instanceId: 'a:3003', address: 'http://a:3003', weight: 3, health: 'up' },
      { service: 'order', instanceId: 'b:3003', address: 'http://b:3003', weight: 1, health: 'up' },
    ]);
    expect(lists.get('catalog')?.map((i) => i.address)).toEqual(['http://c:3002']);
  });

  it('lets <SERVICE>_URLS win over GATEWAY_UPSTREAMS, for the services named only', () => {
    const lists = parseStaticUpstreams(
      { GATEWAY_UPSTREAMS: 'order=http://old:1', ORDER_URLS: 'http://new:1', KAFKA_URLS: 'http://x:1' },
      ['order'],
    );
    expect(lists.get('order')?.map((i) => i.address)).toEqual(['http://new:1']);
    expect(lists.has('kafka')).toBe(false);
  });

  it('lists every malformed entry in one error', () => {
    expect(() =>
      parseStaticUpstreams(
        { GATEWAY_UPSTREAMS: 'order, Catalog=http://c:1', USER_URLS: 'ftp://u:1|http://v:1;weight=0' },
        ['user'],
      ),
    ).toThrow(
      /GATEWAY_UPSTREAMS: 'order' is not service=url\|url\n {2}GATEWAY_UPSTREAMS: Invalid service name 'Catalog'\n {2}USER_URLS: Instance address 'ftp:\/\/u:1' must be http or https/,
    );
    expect(() => parseStaticUpstreams({ ORDER_URLS: 'http://a:1|http://a:1' }, ['order'])).toThrow(
      /lists an address twice/,
    );
    expect(() => parseStaticUpstreams({ ORDER_URLS: 'http://a:1;wait=3' }, ['order'])).toThrow(
      /unknown option 'wait=3'/,
    );
  });
});

describe('service instances', () => {
  it('normalizes addresses to scheme://host:port and refuses paths', () => {
    expect(normalizeAddress(' http://10.0.0.7:3003/ ')).toBe('http://10.0.0.7:3003');
    expect(() => normalizeAddress('http://a:1/api')).toThrow(/scheme:\/\/host:port only/);
    expect(() => normalizeAddress('not a url')).toThrow(/Invalid instance address/);
  });

  it('validates weights and ids', () => {
    expect(() => toServiceInstance({ service: 'order', address: 'http://a:1', weight: 1.5 })).toThrow(
      /Weight/,
    );
    expect(() => toServiceInstance({ service: 'order', instanceId: 'a b', address: 'http://a:1' })).toThrow(
      /instance id/,
    );
  });

  it('treats a corrupt registry record as absent', () => {
    expect(parseRegistryRecord('{nope')).toBeUndefined();
    expect(parseRegistryRecord(JSON.stringify({ service: 'order', address: 'x' }))).toBeUndefined();
    expect(parseRegistryRecord(null)).toBeUndefined();
  });

  it('signs what routing depends on, in any order', () => {
    const a = toServiceInstance({ service: 'order', address: 'http://a:1' });
    const b = toServiceInstance({ service: 'order', address: 'http://b:1', weight: 2 });
    expect(instancesSignature([a, b])).toBe(instancesSignature([b, a]));
    expect(instancesSignature([a, b])).not.toBe(instancesSignature([a, { ...b, health: 'down' }]));
  });
});
