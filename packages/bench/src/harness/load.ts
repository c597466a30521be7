import autocannon from 'autocannon';

export interface LoadTarget {
  /** The GraphQL endpoint (or any POST endpoint answering JSON). */
  url: string;
  headers: Record<string, string>;
  /** The body of the n-th request; with `fixed`, every request sends body(0). */
  body(n: number): string;
  fixed: boolean;
}

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Responses received (of any status). */
  responses: number;
  /** Requests sent: the responses and those still in flight when the time was up. */
  sent: number;
  durationSeconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses, 2xx responses with GraphQL errors, socket errors and timeouts. */
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  socketErrors: number;
  timeouts: number;
  /** The first error body seen (cut), to say what went wrong. */
  sampleError?: string;
}

/**
 * A top-level "errors" key. Inside a JSON string a quote is escaped, so `"errors":` appears in the raw body only as a
 * key; no field of the benchmark's operations is called errors, so this is the response's errors list.
 */
const ERRORS_KEY = /"errors"\s*:/;

/** Runs autocannon against one endpoint at fixed concurrency for a fixed time; every response body is checked. */
export async function runLoad(target: LoadTarget, settings: LoadSettings): Promise<LoadResult> {
  const url = new URL(target.url);
  let responses = 0;
  let non2xx = 0;
  let graphqlErrors = 0;
  let sampleError: string | undefined;
  let n = 0;
  const onResponse = (status: number, body: string) => {
    responses += 1;
    const failed = status < 200 || status >= 300;
    if (failed) non2xx += 1;
    else if (ERRORS_KEY.test(body)) graphqlErrors += 1;
    if ((failed || ERRORS_KEY.test(body)) && sampleError === undefined) sampleError = `HTTP ${status}: ${String(body).slice(0, 500)}`;
  };
  // Every request carries its own X-Request-Id, as an ingress or a client library sets it, and the gateways forward it
  // to the subgraphs. Besides tracing, this keeps a gateway from merging identical requests in flight: the bench sends
  // the same document as the same user on every connection, which real traffic from many users does not.
  const idPrefix = `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const headers = { 'content-type': 'application/json', ...target.headers };
  const fixedBody = target.body(0);
  const request: autocannon.Request = {
    method: 'POST',
    path: url.pathname + url.search,
    headers,
    body: fixedBody,
    onResponse,
    setupRequest: (req) => {
      const i = n++;
      return { ...req, headers: { ...headers, 'x-request-id': `${idPrefix}-${i}` }, body: target.fixed ? fixedBody : target.body(i) };
    },
  };
  const result = await autocannon({
    url: `${url.protocol}//${url.host}`,
    connections: settings.connections,
    duration: settings.durationSeconds,
    requests: [request],
    timeout: 30,
  });
  const durationSeconds = result.duration || settings.durationSeconds;
  const socketErrors = Math.max(0, result.errors - result.timeouts);
  return {
    responses,
    sent: Math.max(result.requests.sent ?? responses, responses),
    durationSeconds,
    rps: responses / durationSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: non2xx + graphqlErrors + socketErrors + result.timeouts,
    non2xx,
    graphqlErrors,
    socketErrors,
    timeouts: result.timeouts,
    sampleError: sampleError ?? (result.errors ? `${result.errors} socket errors, ${result.timeouts} timeouts` : undefined),
  };
}

/** One request (outside the load), for recording passes and the statement-scaling check. */
export async function sendOnce(target: LoadTarget, n = 0): Promise<{ status: number; body: string }> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body(n),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: await response.text() };
}

export function responseFailed(status: number, body: string): boolean {
  return status < 200 || status >= 300 || ERRORS_KEY.test(body);
}
