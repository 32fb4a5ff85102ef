import { traceExportPlan } from './trace-export-plan';

describe('traceExportPlan', () => {
  it('exports over OTLP/HTTP to the traces endpoint as given', () => {
    expect(traceExportPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/custom' })).toEqual({
      kind: 'otlp',
      url: 'http://jaeger:4318/custom',
    });
  });

  it('appends /v1/traces to the generic endpoint, and prefers the traces one', () => {
    expect(traceExportPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      kind: 'otlp',
      url: 'http://collector:4318/v1/traces',
    });
    expect(
      traceExportPlan({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/v1/traces',
      }),
    ).toEqual({ kind: 'otlp', url: 'http://traces:4318/v1/traces' });
  });

  it('records without exporting when no endpoint is configured', () => {
    expect(traceExportPlan({})).toEqual({ kind: 'none' });
  });

  it('uses the OTLP default endpoint when otlp is asked for explicitly', () => {
    expect(traceExportPlan({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({
      kind: 'otlp',
      url: 'http://localhost:4318/v1/traces',
    });
  });

  it('honours OTEL_TRACES_EXPORTER none and console over an endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(traceExportPlan({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({ kind: 'none' });
    expect(traceExportPlan({ ...endpoint, OTEL_TRACES_EXPORTER: ' Console ' })).toEqual({ kind: 'console' });
  });

  it('is disabled by OTEL_SDK_DISABLED=true whatever else is set', () => {
    expect(
      traceExportPlan({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toEqual({ kind: 'disabled' });
    expect(traceExportPlan({ OTEL_SDK_DISABLED: 'false' })).toEqual({ kind: 'none' });
  });
});
