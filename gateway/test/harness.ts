import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Kind, OperationDefinitionNode, parse, SelectionSetNode } from 'graphql';
import pino from 'pino';
import { DEFAULT_RATE_LIMITS, DEFAULT_REQUEST_LIMITS, GatewayConfig, RateLimits, RequestLimits } from '../src/config';
import { RunningGateway, startGateway } from '../src/server';
import { loadAuthConfig } from '@integration-graph/common';

/**
 * One stand-in for all three subgraphs that records every request the gateway sends it. Tests assert on
 * `calls` that a refused request executed nothing. It answers any query with empty connections: for each root
 * field, `totalCount: 0`, `edges: []`, everything else null (enough for the documents of these tests), unless
 * `answer` is set.
 */
export interface StubSubgraph {
  url: string;
  calls: { query: string; headers: http.IncomingHttpHeaders }[];
  answer?: (query: string) => unknown;
  close(): Promise<void>;
}

function emptyAnswer(query: string): unknown {
  const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const shape = (selectionSet: SelectionSetNode | undefined): Record<string, unknown> =>
    Object.fromEntries(
      (selectionSet?.selections ?? []).flatMap((selection): [string, unknown][] => {
        if (selection.kind !== Kind.FIELD) return [];
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === 'totalCount') return [[key, 0]];
        if (selection.name.value === 'edges') return [[key, []]];
        return [[key, null]];
      }),
    );
  return {
    data: Object.fromEntries(
      operation.selectionSet.selections.flatMap((selection) =>
        selection.kind === Kind.FIELD ? [[selection.alias?.value ?? selection.name.value, shape(selection.selectionSet)]] : [],
      ),
    ),
  };
}

export async function startStubSubgraph(): Promise<StubSubgraph> {
  const stub: StubSubgraph = { url: '', calls: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { query } = JSON.parse(body || '{}') as { query: string };
      stub.calls.push({ query, headers: req.headers });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(stub.answer ? stub.answer(query) : emptyAnswer(query)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

/** Every log line of a test gateway, parsed. */
export type LogLines = Record<string, unknown>[];

export interface TestGateway extends RunningGateway {
  stub: StubSubgraph;
  logs: LogLines;
  /** POST /graphql with a JSON body; returns status, headers and the parsed body. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  /** POST { query } with content-type application/json (and a token when given). */
  query(query: string, token?: string, headers?: Record<string, string>): ReturnType<TestGateway['post']>;
}

/** A gateway in front of the stub subgraph, with the given limits (the defaults otherwise; rate limits off). */
export async function startTestGateway(options: { limits?: Partial<RequestLimits>; rateLimits?: Partial<RateLimits>; production?: boolean } = {}): Promise<TestGateway> {
  const stub = await startStubSubgraph();
  const logs: LogLines = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    }),
  );
  const config: GatewayConfig = {
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: { partners: stub.url, cases: stub.url, referrals: stub.url },
    subgraphTimeoutMs: 5_000,
    auth: loadAuthConfig(),
    gatewaySecret: 'test-gateway-secret-with-at-least-32-characters',
    production: options.production ?? false,
    limits: { ...DEFAULT_REQUEST_LIMITS, ...options.limits },
    rateLimits: { userPerMinute: 0, organizationPerMinute: 0, anonymousPerMinute: 0, ...options.rateLimits },
  };
  const gateway = await startGateway(config, logger);
  const post: TestGateway['post'] = async (body, headers = {}) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  };
  return {
    ...gateway,
    stub,
    logs,
    post,
    query: (query, token, headers = {}) => post({ query }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }),
    async close() {
      await gateway.close();
      await stub.close();
    },
  };
}

export { DEFAULT_RATE_LIMITS, DEFAULT_REQUEST_LIMITS };
