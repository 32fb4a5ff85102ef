import { headerStrings, incomingRecord, kafkaMessage } from './kafka-records';

describe('kafkajs record mapping', () => {
  it('turns header buffers into strings, keeping the last of repeated keys', () => {
    expect(
      headerStrings({ a: Buffer.from('1'), b: 'two', c: [Buffer.from('x'), Buffer.from('y')], d: undefined }),
    ).toEqual({ a: '1', b: 'two', c: 'y' });
    expect(headerStrings(undefined)).toEqual({});
  });

  it('maps a delivered message to an IncomingRecord', () => {
    const record = incomingRecord('t', 2, {
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      offset: '17',
      timestamp: '0',
      attributes: 0,
      headers: { h: Buffer.from('1') },
    });
    expect(record).toEqual({
      topic: 't',
      partition: 2,
      offset: '17',
      key: 'k',
      value: Buffer.from('v'),
      headers: { h: '1' },
    });
  });

  it('maps an OutgoingRecord to a kafkajs message', () => {
    expect(kafkaMessage({ topic: 't', key: 'k', value: 'v', headers: { h: '1' } })).toEqual({
      key: 'k',
      value: 'v',
      headers: { h: '1' },
    });
  });
});
