/**
 * Stub subgraphs for the gateway floor (npm run bench): one HTTP server per subgraph. In "record" mode each forwards
 * the gateway's requests to the real subgraph and keeps (request body → response); in "replay" mode it answers
 * from memory only, without any work behind it, so the gateway in front of it runs as fast as this gateway can.
 * A request that was not recorded is answered with a GraphQL error and counted (the benchmark reports it).
 *
 * Environment: STUB_SUBGRAPHS = JSON [{ "name", "port", "upstream" }]. Control, on every port:
 * POST /__stub/replay (switch to replay), GET /__stub/stats, GET /ready.
 */
import http from 'node:http';
import { exitWithParent } from '@integration-graph/common';

interface StubConfig {
  name: string;
  port: number;
  upstream: string;
}

interface Recorded {
  status: number;
  contentType: string;
  body: Buffer;
}

const FORWARDED_HEADERS = ['authorization', 'x-gateway-secret', 'x-request-id', 'x-purpose', 'content-type', 'accept'];

const configs = JSON.parse(process.env.STUB_SUBGRAPHS ?? '[]') as StubConfig[];
const recordings = new Map<string, Map<string, Recorded>>(configs.map((config) => [config.name, new Map()]));
let mode: 'record' | 'replay' = 'record';
const stats = { recorded: 0, forwarded: 0, hits: 0, misses: 0, sampleMiss: undefined as string | undefined };

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, contentType: string, body: Buffer | string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function forward(config: StubConfig, req: http.IncomingMessage, body: Buffer): Promise<Recorded> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await fetch(config.upstream, { method: 'POST', headers, body: body.toString('utf8'), signal: AbortSignal.timeout(30_000) });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? 'application/json',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

function handler(config: StubConfig): http.RequestListener {
  const recorded = recordings.get(config.name)!;
  return async (req, res) => {
    try {
      const url = req.url ?? '/';
      if (req.method === 'GET' && (url === '/ready' || url === '/health')) return send(res, 200, 'application/json', '{"status":"ready"}');
      if (req.method === 'GET' && url === '/__stub/stats') {
        return send(res, 200, 'application/json', JSON.stringify({ mode, ...stats, keys: Object.fromEntries([...recordings].map(([n, m]) => [n, m.size])) }));
      }
      if (req.method === 'POST' && url === '/__stub/replay') {
        mode = 'replay';
        return send(res, 200, 'application/json', JSON.stringify({ mode }));
      }
      if (req.method !== 'POST') return send(res, 404, 'text/plain', 'not found');
      const body = await readBody(req);
      const key = body.toString('utf8');
      if (mode === 'record') {
        const response = await forward(config, req, body);
        stats.forwarded += 1;
        if (response.status >= 200 && response.status < 300) {
          if (!recorded.has(key)) stats.recorded += 1;
          recorded.set(key, response);
        }
        return send(res, response.status, response.contentType, response.body);
      }
      const hit = recorded.get(key);
      if (hit) {
        stats.hits += 1;
        return send(res, hit.status, hit.contentType, hit.body);
      }
      stats.misses += 1;
      stats.sampleMiss ??= `${config.name}: ${key.slice(0, 300)}`;
      return send(res, 200, 'application/json', JSON.stringify({ errors: [{ message: `stub ${config.name}: no recording for this request` }] }));
    } catch (error) {
      send(res, 502, 'application/json', JSON.stringify({ errors: [{ message: `stub ${config.name}: ${error instanceof Error ? error.message : error}` }] }));
    }
  };
}

const servers = configs.map((config) => {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, handler(config));
  server.listen(config.port, '127.0.0.1');
  return server;
});
const stop = () => {
  for (const server of servers) server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWithParent(stop);
