import { decodeCursor, encodeCursor } from './notification-cursor';

const cursor = {
  createdAt: new Date('2026-11-21T10:00:00.123Z'),
  id: '0192f0c1-7d3a-7b2e-9c41-5e6f7a8b9c0d',
};

describe('notification cursor', () => {
  it('round-trips (millisecond precision, like the column)', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['no separator', Buffer.from('12345').toString('base64url')],
    ['not a uuid', Buffer.from('12345:nope').toString('base64url')],
    ['not a time', Buffer.from(`x:${cursor.id}`).toString('base64url')],
    ['empty', ''],
    ['too long', 'a'.repeat(201)],
  ])('rejects %s', (_, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
