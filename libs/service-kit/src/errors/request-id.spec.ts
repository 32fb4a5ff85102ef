import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each(['abc-123', '0196a4d2-7b7e-7c3a-9b1e-2f4a5c6d7e8f', 'gw:1732180000.42', 'a'.repeat(128)])(
    'keeps the caller id %s',
    (id) => expect(requestIdFrom(id)).toBe(id),
  );

  it.each<[string, string | string[] | undefined]>([
    ['absent', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'two words'],
    ['with quotes or braces', '{"inject":1}'],
    ['repeated', ['a', 'b']],
  ])('generates a UUIDv7 when the header is %s', (_case, header) => {
    expect(requestIdFrom(header)).toMatch(UUID);
  });

  it('generates a different id each time', () => {
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
