import { trace } from '@opentelemetry/api';
import { startTelemetry } from './start';

describe('startTelemetry without an exporter endpoint', () => {
  const handle = startTelemetry({ serviceName: 'catalog', env: {}, instrumentations: [] });
  afterAll(() => handle.shutdown());

  it('still records real spans, so trace ids reach logs and downstream headers', () => {
    const span = trace.getTracer('spec').startSpan('work');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanContext().traceId).not.toBe('0'.repeat(32));
    span.end();
    expect(handle.traceExport).toMatch(/^not exported/);
  });

  it('starts once per process: a second call returns the first handle and warns', () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(startTelemetry({ serviceName: 'catalog', instrumentations: [] })).toBe(handle);
      expect(startTelemetry({ serviceName: 'order', instrumentations: [] })).toBe(handle);
      expect(emitWarning.mock.calls).toEqual([
        ["startTelemetry('order') ignored: telemetry already started for 'catalog'"],
      ]);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('shuts down more than once without error', async () => {
    await handle.shutdown();
    await expect(handle.shutdown()).resolves.toBeUndefined();
  });
});
