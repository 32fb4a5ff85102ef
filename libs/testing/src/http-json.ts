/** An HTTP answer as the suites inspect it. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** Answers are inspected loosely in tests (`answer.body.priceCents`); their shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export interface JsonCallOptions {
  body?: unknown;
  /** Sent as is (malformed JSON, oversized bodies). */
  rawBody?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One JSON request to a service under test; the body is parsed when there is one. */
export async function callJson<T = LooseJson>(
  baseUrl: string,
  method: string,
  path: string,
  options: JsonCallOptions = {},
): Promise<Answer<T>> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(baseUrl + path, {
    method,
    headers: { ...(hasBody && { 'content-type': 'application/json' }), ...options.headers },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}
