import { violatedUniqueIndex } from './unique-violation';

const indexes = ['events_stream_id_version_key', 'events_event_id_key'];

describe('violatedUniqueIndex', () => {
  it('names the violated index from the error', () => {
    expect(violatedUniqueIndex({ code: '23505', constraint: 'events_event_id_key' }, indexes)).toBe(
      'events_event_id_key',
    );
  });

  it('finds the index in the server message when the driver keeps only that', () => {
    const error = {
      code: '23505',
      message: 'duplicate key value violates unique constraint "events_stream_id_version_key"',
    };
    expect(violatedUniqueIndex(error, indexes)).toBe('events_stream_id_version_key');
  });

  it('ignores other errors and other indexes', () => {
    expect(violatedUniqueIndex({ code: '23505', constraint: 'outbox_pkey' }, indexes)).toBeUndefined();
    expect(violatedUniqueIndex({ code: '40P01' }, indexes)).toBeUndefined();
    expect(violatedUniqueIndex(new Error('boom'), indexes)).toBeUndefined();
    expect(violatedUniqueIndex(undefined, indexes)).toBeUndefined();
  });
});
