import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { postGraphQL } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Operations (issue 9): Prometheus metrics on every process, request ids in every log line of a request, and
 * OpenTelemetry traces across the gateway and the subgraphs — one platform with tracing on, exporting to an OTLP
 * receiver run by this test.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
}

/** A tiny OTLP/HTTP receiver (JSON encoding): keeps every span it is sent, with its resource's service.name. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; posts: string[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const posts: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resourceSpan of body.resourceSpans) {
          const service = resourceSpan.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const scope of resourceSpan.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The samples of a Prometheus text exposition: name, labels, value. */
function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const METRICS_TOKEN = randomBytes(24).toString('hex');
let platform: TestPlatform;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  platform = await startTestPlatform({
    env: {
      OTEL_TRACING: 'on',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      METRICS_TOKEN,
      // No webhook deliveries during the test (the probe registers one).
      OUTBOX_POLL_MS: '3600000',
    },
  });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
});

const baseUrl = (url: string) => url.replace(/\/graphql$/, '');
const processUrls = () => ({
  gateway: baseUrl(platform.gatewayUrl),
  partners: baseUrl(platform.subgraphUrls.partners),
  cases: baseUrl(platform.subgraphUrls.cases),
  referrals: baseUrl(platform.subgraphUrls.referrals),
});

/** One mutation through the gateway with our own request id: it logs from inside a referrals resolver. */
const PROBE = `mutation RegisterProbeWebhook($url: String!) { registerWebhook(input: { url: $url }) { subscription { id } } }`;
const requestId = `observability-probe-${randomBytes(6).toString('hex')}`;
let probed: Promise<void> | undefined;
function probe(): Promise<void> {
  probed ??= (async () => {
    const token = await platform.tokenOf('ortenaukreis-lead');
    const result = await postGraphQL(platform.gatewayUrl, PROBE, { url: `${receiver.url}/hooks` }, token, { 'x-request-id': requestId }, { gatewaySecret: null });
    expect(result.errors).toBeUndefined();
  })();
  return probed;
}

const jsonLines = (process: string) =>
  platform.lines
    .filter((l) => l.process === process && l.line.startsWith('{'))
    .map((l) => JSON.parse(l.line) as Record<string, unknown>);

describe('logs', () => {
  it("carry the request id on every line of one request, in the gateway's and the subgraph's logs", async () => {
    await probe();
    const registered = await until('the resolver log line', () => jsonLines('referrals').find((line) => line.msg === 'webhook registered'));
    // The resolver logs without naming the request id: the request's scope adds it to the line.
    expect(registered).toMatchObject({ service: 'referrals', requestId });
    const gatewayLine = await until('the gateway log line', () => jsonLines('gateway').find((line) => line.msg === 'graphql request' && line.operationName === 'RegisterProbeWebhook'));
    expect(gatewayLine.requestId).toBe(requestId);
    const subgraphLine = jsonLines('referrals').find((line) => line.msg === 'graphql request' && line.requestId === requestId);
    expect(subgraphLine).toBeDefined();
    // With tracing on, the lines carry the trace id too: the same in both processes.
    expect(registered.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(gatewayLine.traceId).toBe(registered.traceId);
  });
});

describe('tracing', () => {
  it('exports one trace per request with spans from the gateway and the subgraph, the database calls included', async () => {
    await probe();
    const traceId = (await until('the resolver log line', () => jsonLines('referrals').find((line) => line.msg === 'webhook registered'))).traceId as string;
    const trace = () => receiver.spans.filter((span) => span.traceId === traceId);
    // The subgraph's server spans that continue a call of the gateway (W3C traceparent): their parent is the
    // gateway's span of that call. Spans arrive in batches from each process, so wait for all of them.
    const continued = () => {
      const spans = trace();
      const gatewaySpanIds = new Set(spans.filter((s) => s.service === 'gateway').map((s) => s.spanId));
      return spans.filter((s) => s.service === 'referrals' && s.parentSpanId !== undefined && gatewaySpanIds.has(s.parentSpanId));
    };
    await until('a referrals span continuing a gateway span, and SQL spans of referrals', () =>
      continued().length > 0 && trace().some((s) => s.service === 'referrals' && s.attributes?.some((a) => a.key === 'db.system')),
    );
    expect(receiver.posts.every((post) => post.startsWith('POST /v1/traces application/json'))).toBe(true);
    expect(new Set(trace().map((s) => s.service))).toEqual(new Set(['gateway', 'referrals']));
    // Health checks and scrapes are not traced, nor work outside a request (building the schemas at start, timers).
    expect(receiver.spans.some((s) => /\/(health|ready|metrics)/.test(s.name))).toBe(false);
    expect(receiver.spans.some((s) => s.name === 'graphql.parseSchema' || s.name === 'graphql.parse' && !s.parentSpanId)).toBe(false);
  });
});

describe('metrics', () => {
  it('are served at /metrics by every process, only with METRICS_TOKEN when one is set', async () => {
    for (const [name, url] of Object.entries(processUrls())) {
      expect([name, (await fetch(`${url}/metrics`)).status]).toEqual([name, 401]);
      expect([name, (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status]).toEqual([name, 401]);
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect([name, response.status]).toEqual([name, 200]);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const samples = parseMetrics(await response.text());
      // The default process metrics, labelled with the process's name.
      expect(samples.find((s) => s.name === 'process_cpu_user_seconds_total')?.labels.service).toBe(name);
      expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    }
  });

  it('count requests, latency and errors per operation, the database pool, and the gateway\'s subgraph calls', async () => {
    await probe();
    const unauthenticated = await platform.query(`query ProbeWithoutToken { myWebhooks { id } }`);
    expect(unauthenticated.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const scrape = async (url: string) =>
      parseMetrics(await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text());
    const urls = processUrls();

    const gateway = await scrape(urls.gateway);
    const value = (samples: typeof gateway, name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value(gateway, 'graphql_requests_total', { service: 'gateway', operation: 'RegisterProbeWebhook', outcome: 'success' })).toBe(1);
    expect(value(gateway, 'graphql_request_duration_seconds_count', { operation: 'RegisterProbeWebhook' })).toBe(1);
    expect(value(gateway, 'graphql_request_duration_seconds_bucket', { operation: 'RegisterProbeWebhook', le: '+Inf' })).toBe(1);
    expect(value(gateway, 'graphql_requests_total', { operation: 'ProbeWithoutToken', outcome: 'error' })).toBe(1);
    expect(value(gateway, 'graphql_errors_total', { operation: 'ProbeWithoutToken', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(value(gateway, 'gateway_subgraph_request_duration_seconds_count', { subgraph: 'referrals', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value(gateway, 'http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);

    const referrals = await scrape(urls.referrals);
    // The gateway names the subgraph's part of the operation <operation>__<subgraph>__<n>.
    expect(referrals.some((s) => s.name === 'graphql_requests_total' && s.labels.service === 'referrals' && s.labels.operation.startsWith('RegisterProbeWebhook__referrals__'))).toBe(true);
    expect(value(referrals, 'db_pool_max_connections', { service: 'referrals' })).toBe(10);
    expect(value(referrals, 'db_pool_total_connections', { service: 'referrals' })).toBeGreaterThanOrEqual(1);
    expect(value(referrals, 'db_pool_idle_connections', { service: 'referrals' })).toBeGreaterThanOrEqual(0);
    expect(value(referrals, 'db_pool_waiting_clients', { service: 'referrals' })).toBe(0);
  });
});
