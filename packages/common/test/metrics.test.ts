import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import express from 'express';
import { GraphQLError } from 'graphql';
import { graphqlMetricsPlugin, Metrics, metricsHandler, requestIdMiddleware, currentRequestId, logScopeFields } from '../src';

async function sample(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name.replace(/_(count|sum)$/, '') || m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, string | number>; metricName?: string }[];
  return values.find((v) => (v.metricName ?? name) === name && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))?.value;
}

/** Serves `app` on a free port for one callback. */
async function serve<T>(app: express.Express, use: (url: string) => Promise<T>): Promise<T> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('metrics', () => {
  it('label operations by name, "anonymous" or "invalid", and stop adding names at the limit ("other")', async () => {
    const metrics = new Metrics('cases', { defaultMetrics: false, operationLimit: 3 });
    expect(metrics.operationLabel('Caseload', true)).toBe('Caseload');
    expect(metrics.operationLabel(null, true)).toBe('anonymous');
    expect(metrics.operationLabel('Caseload', false)).toBe('invalid');
    expect(['A', 'B', 'C', 'D', 'Caseload'].map((name) => metrics.operationLabel(name, true))).toEqual(['A', 'B', 'other', 'other', 'Caseload']);
  });

  it('count requests and errors by code, and time them', async () => {
    const metrics = new Metrics('cases', { defaultMetrics: false });
    metrics.recordOperation('Caseload', 0.02, []);
    metrics.recordOperation('Caseload', 0.3, ['FORBIDDEN', undefined, 'not a code!']);
    expect(await sample(metrics, 'graphql_requests_total', { operation: 'Caseload', outcome: 'success' })).toBe(1);
    expect(await sample(metrics, 'graphql_requests_total', { operation: 'Caseload', outcome: 'error' })).toBe(1);
    expect(await sample(metrics, 'graphql_errors_total', { operation: 'Caseload', code: 'FORBIDDEN' })).toBe(1);
    expect(await sample(metrics, 'graphql_errors_total', { operation: 'Caseload', code: 'INTERNAL_SERVER_ERROR' })).toBe(1);
    expect(await sample(metrics, 'graphql_errors_total', { operation: 'Caseload', code: 'OTHER' })).toBe(1);
    expect(await sample(metrics, 'graphql_request_duration_seconds', { operation: 'Caseload', service: 'cases' })).toBeUndefined(); // a histogram
    const bucket = async (le: string) => {
      const values = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'graphql_request_duration_seconds')!.values as { metricName?: string; labels: Record<string, string | number>; value: number }[];
      return values.find((v) => v.metricName === 'graphql_request_duration_seconds_bucket' && String(v.labels.le) === le)?.value;
    };
    expect([await bucket('0.01'), await bucket('0.025'), await bucket('0.5'), await bucket('+Inf')]).toEqual([0, 1, 2, 2]);
  });

  it('read the database pool when scraped', async () => {
    const metrics = new Metrics('referrals', { defaultMetrics: false });
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 2, options: { max: 10 } };
    metrics.observePool(() => pool);
    expect(await sample(metrics, 'db_pool_total_connections', { service: 'referrals' })).toBe(4);
    expect(await sample(metrics, 'db_pool_idle_connections')).toBe(1);
    expect(await sample(metrics, 'db_pool_waiting_clients')).toBe(2);
    expect(await sample(metrics, 'db_pool_max_connections')).toBe(10);
    pool.waitingCount = 0;
    expect(await sample(metrics, 'db_pool_waiting_clients')).toBe(0);
  });

  it('time the gateway\'s subgraph calls by outcome', async () => {
    const metrics = new Metrics('gateway', { defaultMetrics: false });
    const ok = metrics.timedFetcher('cases', async () => ({ status: 200 }));
    const failing = metrics.timedFetcher('cases', async (): Promise<{ status: number }> => {
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    });
    await ok();
    await expect(failing()).rejects.toThrow('aborted');
    expect(await sample(metrics, 'gateway_subgraph_request_duration_seconds_count', { subgraph: 'cases', outcome: 'ok', service: 'gateway' })).toBe(1);
    expect(await sample(metrics, 'gateway_subgraph_request_duration_seconds_count', { subgraph: 'cases', outcome: 'timeout' })).toBe(1);
  });

  it('are counted per operation by the Apollo plugin, errors by extensions.code', async () => {
    const metrics = new Metrics('partners', { defaultMetrics: false });
    const apollo = new ApolloServer({
      typeDefs: 'type Query { ok: Boolean, broken: Boolean }',
      resolvers: { Query: { ok: () => true, broken: () => { throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }); } } },
      plugins: [graphqlMetricsPlugin(metrics)],
    });
    await apollo.start();
    try {
      await apollo.executeOperation({ query: 'query Fine { ok }' });
      await apollo.executeOperation({ query: '{ broken }' });
      await apollo.executeOperation({ query: '{ nope' });
    } finally {
      await apollo.stop();
    }
    expect(await sample(metrics, 'graphql_requests_total', { operation: 'Fine', outcome: 'success' })).toBe(1);
    expect(await sample(metrics, 'graphql_errors_total', { operation: 'anonymous', code: 'FORBIDDEN' })).toBe(1);
    expect(await sample(metrics, 'graphql_errors_total', { operation: 'invalid', code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  });

  it('are served at /metrics, open without a token and only for the bearer token with METRICS_TOKEN', async () => {
    const metrics = new Metrics('gateway');
    const app = express();
    app.use(metrics.httpMiddleware(['/metrics', '/graphql']));
    app.get('/open', metricsHandler(metrics));
    app.get('/metrics', metricsHandler(metrics, 'metrics-token-0123456789'));
    await serve(app, async (url) => {
      const open = await fetch(`${url}/open`);
      expect(open.status).toBe(200);
      expect(open.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await open.text();
      expect(text).toMatch(/^process_cpu_user_seconds_total\{service="gateway"\} /m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="gateway"\} /m);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-012345678' } })).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
      // The refused scrapes are counted too; a path the process does not name is "other", not a new series.
      expect(await sample(metrics, 'http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '401' })).toBe(2);
      expect(await sample(metrics, 'http_request_duration_seconds_count', { method: 'GET', route: 'other', status: '200' })).toBe(1);
    });
  });
});

describe('request scope', () => {
  it('keeps a well-formed request id, makes one otherwise, returns it, and holds it for everything the request runs', async () => {
    const app = express();
    app.use(requestIdMiddleware());
    app.post('/echo', express.json({ limit: '1mb' }), async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      res.json({ scoped: currentRequestId(), header: req.headers['x-request-id'], log: logScopeFields() });
    });
    await serve(app, async (url) => {
      const post = (headers: Record<string, string>) =>
        fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ padding: 'x'.repeat(200_000) }) });
      const kept = await post({ 'x-request-id': 'gateway-request-0001' });
      expect(kept.headers.get('x-request-id')).toBe('gateway-request-0001');
      expect(await kept.json()).toEqual({ scoped: 'gateway-request-0001', header: 'gateway-request-0001', log: { requestId: 'gateway-request-0001' } });
      const made = await post({ 'x-request-id': 'bad id' });
      const body = (await made.json()) as { scoped: string; header: string };
      expect(body.scoped).toMatch(/^[0-9a-f-]{36}$/);
      expect(made.headers.get('x-request-id')).toBe(body.scoped);
      expect(body.header).toBe(body.scoped);
    });
    expect(currentRequestId()).toBeUndefined();
  });
});
