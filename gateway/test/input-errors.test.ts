import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { DEMO_USERS, loadAuthConfig, testToken } from '@integration-graph/common';
import pino from 'pino';
import { DEFAULT_REQUEST_LIMITS, GatewayConfig } from '../src/config';
import { RunningGateway, startGateway } from '../src/server';

/**
 * Regressions of what test/fuzz.test.ts found at the gateway: requests a caller got wrong were answered with HTTP 500
 * or as a masked internal error in production. Each must be a client error that says what is wrong, before any
 * subgraph is called where the gateway can tell. A gateway in production mode in front of a stand-in subgraph.
 */

interface Stub {
  url: string;
  calls: string[];
  /** The stand-in's answer: status and body (default: an empty answer to every root field). */
  respond?: (query: string) => { status: number; body: unknown };
  close(): Promise<void>;
}

async function startStub(): Promise<Stub> {
  const stub: Stub = { url: '', calls: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { query } = JSON.parse(body || '{}') as { query: string };
      stub.calls.push(query);
      const answer = stub.respond?.(query) ?? { status: 200, body: { data: { __typename: 'Query' } } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  stub.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return stub;
}

let stub: Stub;
let gateway: RunningGateway;
let token: string;

beforeAll(async () => {
  stub = await startStub();
  const config: GatewayConfig = {
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: { partners: stub.url, cases: stub.url, referrals: stub.url },
    subgraphTimeoutMs: 5_000,
    auth: loadAuthConfig(),
    gatewaySecret: 'test-gateway-secret-with-at-least-32-characters',
    production: true,
    limits: DEFAULT_REQUEST_LIMITS,
    rateLimits: { userPerMinute: 0, organizationPerMinute: 0, anonymousPerMinute: 0 },
  };
  gateway = await startGateway(config, pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() })));
  token = await testToken(DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!);
});
afterAll(async () => {
  await gateway?.close();
  await stub?.close();
});
beforeEach(() => {
  stub.calls = [];
  stub.respond = undefined;
});

async function post(body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe('bad requests the gateway refuses itself (HTTP 400, not 500)', () => {
  it('several operations without an operationName, or an operationName the document does not have', async () => {
    const twoOperations = 'query A { __typename } query B { __typename }';
    const missing = await post(JSON.stringify({ query: twoOperations }));
    expect(missing.status).toBe(400);
    expect(missing.body.errors![0]).toMatchObject({ message: expect.stringContaining('Must provide operationName'), extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    const unknown = await post(JSON.stringify({ query: twoOperations, operationName: 'C' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0]).toMatchObject({ message: 'Unknown operation named "C"; the document has A, B', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    expect(stub.calls).toEqual([]);
  });

  it('a subscription (the supergraph has none)', async () => {
    const result = await post(JSON.stringify({ query: 'subscription S { __typename }' }));
    expect(result.status).toBe(400);
    expect(result.body.errors![0]).toMatchObject({ message: expect.stringContaining('Subscriptions are not supported'), extensions: { code: 'BAD_REQUEST' } });
    expect(stub.calls).toEqual([]);
  });

  it('a NUL character in a variable or a string literal (PostgreSQL cannot store it)', async () => {
    const variable = await post(JSON.stringify({ query: 'query($t: String) { organizations(filter: { text: $t }) { totalCount } }', variables: { t: 'a\u0000b' } }));
    expect(variable.status).toBe(400);
    expect(variable.body.errors![0]).toMatchObject({ message: expect.stringContaining('NUL character'), extensions: { code: 'BAD_USER_INPUT', field: '$t' } });
    const nested = await post(JSON.stringify({ query: 'mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }', variables: { input: { note: ['x', '\u0000'] } } }));
    expect(nested.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: '$input.note.1' });
    const literal = await post(JSON.stringify({ query: '{ organizations(filter: { text: "a\\u0000b" }) { totalCount } }' }));
    expect(literal.status).toBe(400);
    expect(literal.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(stub.calls).toEqual([]);
  });

  it('a body that does not match its Content-Encoding', async () => {
    const result = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-encoding': 'deflate' });
    expect(result.status).toBe(400);
    expect(result.body.errors![0]).toMatchObject({ message: expect.stringContaining('Content-Encoding'), extensions: { code: 'BAD_REQUEST' } });
    // A body that is deflated is read as usual.
    const deflated = await post(zlib.deflateSync(JSON.stringify({ query: '{ __typename }' })), { 'content-encoding': 'deflate' });
    expect(deflated.status).toBe(200);
  });

  it("a persisted query whose hash does not match, or of a version Apollo Server does not know: the client's error, not masked", async () => {
    const mismatch = await post(JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors![0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
    const version = await post(JSON.stringify({ extensions: { persistedQuery: { version: 2, sha256Hash: createHash('sha256').update('x').digest('hex') } } }));
    expect(version.status).toBe(400);
    expect(version.body.errors![0]).toMatchObject({ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } });
  });
});

describe("a subgraph's refusal of a variable (HTTP 400)", () => {
  it("reaches the caller as the subgraph's message and code, without the subgraph's address", async () => {
    const message = 'Variable "$d" got invalid value "2026-02-30"; Value is not a valid LocalDate: 2026-02-30';
    stub.respond = () => ({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at /srv/app/dist/x.js:1:1'] } }] } });
    const result = await post(JSON.stringify({ query: 'query($d: LocalDate, $f: String!, $g: String!) { possibleDuplicates(dateOfBirth: $d, familyName: $f, givenName: $g) { id } }', variables: { d: '2026-02-30', f: 'A', g: 'B' } }));
    expect(stub.calls).toHaveLength(1);
    expect(result.body.errors).toEqual([{ message, extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) } }]);
    expect(result.text).not.toContain(new URL(stub.url).port);
  });

  it('stays masked in production when its code is not meant for the caller', async () => {
    stub.respond = () => ({ status: 400, body: { errors: [{ message: 'relation "x" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    const result = await post(JSON.stringify({ query: '{ organizations(first: 1) { totalCount } }' }));
    expect(result.body.errors![0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(result.text).not.toContain('relation');
    expect(result.text).not.toContain(new URL(stub.url).port);
  });
});
