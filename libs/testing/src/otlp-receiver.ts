import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP JSON export carries it, flattened with its resource's service name. */
export interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  scope: string;
  serviceName: string | undefined;
  attributes: Record<string, unknown>;
}

/** OTLP span kinds (the protocol's enum, not the API's). */
export const OTLP_SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: {
      scope: { name: string };
      spans: (Omit<ReceivedSpan, 'scope' | 'serviceName' | 'attributes'> & {
        attributes: OtlpAttribute[];
      })[];
    }[];
  }[];
}

export interface OtlpReceiver {
  /** Point OTEL_EXPORTER_OTLP_ENDPOINT here. */
  readonly url: string;
  /** Every span received so far. */
  readonly spans: ReceivedSpan[];
  /** `METHOD path content-type` of every export request. */
  readonly paths: string[];
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP (JSON) trace receiver on a free port: what a collector or
 * Jaeger would receive from the SDK's default exporter, kept in memory.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      spans.push(...flatten(JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function attributes(list: OtlpAttribute[]): Record<string, unknown> {
  return Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));
}

function flatten(body: OtlpExport): ReceivedSpan[] {
  return body.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        name: s.name,
        kind: s.kind,
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId || undefined,
        scope: ss.scope.name,
        serviceName: attributes(rs.resource.attributes)['service.name'] as string | undefined,
        attributes: attributes(s.attributes),
      })),
    ),
  );
}
