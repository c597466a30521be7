import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfigReader, ConfigurationError, DEMO_ORGANIZATIONS, roleToken, Role } from '@integration-graph/common';
import { createClient, DistrictsDocument, SearchMunicipalitiesDocument } from '@integration-graph/client';
import pino from 'pino';
import { loadGatewayConfig } from '../src/config';
import { RunningGateway, startGateway } from '../src/server';
import { DEFAULT_MANIFEST_FILE, loadTrustedDocumentsConfig, readManifest, TrustedDocumentsMode } from '../src/trusted-documents';
import { startStubSubgraph, StubSubgraph } from './harness';

// Trusted documents (docs/security.md): a gateway in production mode accepts from municipal apps and anonymous
// callers only the operations of the client SDK's manifest (packages/client/persisted-operations.json).

const MANIFEST = readManifest(DEFAULT_MANIFEST_FILE);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const byName = (name: string) => {
  const entry = [...MANIFEST].find(([, text]) => new RegExp(`(query|mutation) ${name}\\b`).test(text));
  if (!entry) throw new Error(`${name} is not in the manifest`);
  return { hash: entry[0], text: entry[1] };
};
const DISTRICTS = byName('Districts');
const AD_HOC = '{ organizations(first: 1) { totalCount } }';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

interface Gateway extends RunningGateway {
  stub: StubSubgraph;
  logs: Record<string, unknown>[];
  post(body: unknown, token?: string): Promise<Answer>;
  get(params: Record<string, string>, token?: string): Promise<Answer>;
}

async function startProductionGateway(mode: TrustedDocumentsMode): Promise<Gateway> {
  const stub = await startStubSubgraph();
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _e, done) => (String(chunk).split('\n').filter(Boolean).forEach((l) => logs.push(JSON.parse(l))), done()) }));
  const saved = { ...process.env };
  Object.assign(process.env, { PORT: '0', PARTNERS_URL: stub.url, CASES_URL: stub.url, REFERRALS_URL: stub.url, RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_ORGANIZATION_PER_MINUTE: '0', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0' });
  let config;
  try {
    // The development keys of the test run verify the tokens; everything else as in production.
    config = { ...loadGatewayConfig(), production: true, gatewaySecret: 'test-gateway-secret-with-at-least-32-characters' };
  } finally {
    process.env = saved;
  }
  config.trustedDocuments = loadTrustedDocumentsConfig(new ConfigReader({ NODE_ENV: 'production', TRUSTED_DOCUMENTS: mode }), true);
  const gateway = await startGateway(config, logger);
  const headers = (token?: string): Record<string, string> => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
  const answer = async (response: Response): Promise<Answer> => ({ status: response.status, body: JSON.parse(await response.text()) });
  return {
    ...gateway,
    stub,
    logs,
    post: async (body, token) => answer(await fetch(gateway.url, { method: 'POST', headers: headers(token), body: JSON.stringify(body) })),
    get: async (params, token) =>
      answer(await fetch(`${gateway.url}?${new URLSearchParams(params)}`, { headers: { ...headers(token), 'apollo-require-preflight': 'true' } })),
    async close(...args: Parameters<RunningGateway['close']>) {
      const result = await gateway.close(...args);
      await stub.close();
      return result;
    },
  };
}

const byHash = (entry: { hash: string }, variables: Record<string, unknown> = {}) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: entry.hash } } });
const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

describe('trusted documents in production (TRUSTED_DOCUMENTS=municipal-apps, the default)', () => {
  let gateway: Gateway;
  let app: string;
  let coordinator: string;
  let caseworker: string;
  let partner: string;
  beforeAll(async () => {
    gateway = await startProductionGateway('municipal-apps');
    app = await roleToken(DEMO_ORGANIZATIONS.offenburg.id, Role.MunicipalApp);
    coordinator = await roleToken(DEMO_ORGANIZATIONS.ortenaukreis.id, Role.Coordinator);
    caseworker = await roleToken(DEMO_ORGANIZATIONS.ortenaukreis.id, Role.Caseworker);
    partner = await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.Partner);
  });
  afterAll(() => gateway?.close());
  beforeEach(() => {
    gateway.stub.calls.length = 0;
  });

  it('runs an operation of the manifest sent by its hash alone, for a municipal app and without a token (no second round trip)', async () => {
    for (const token of [app, undefined]) {
      const answer = await gateway.post(byHash(DISTRICTS), token);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ organizations: { totalCount: 0, edges: [] } });
    }
    expect(gateway.stub.calls).toHaveLength(2);
  });

  it('runs an operation of the manifest sent as its exact text (with or without the hash)', async () => {
    expect((await gateway.post({ query: DISTRICTS.text }, app)).body.errors).toBeUndefined();
    expect((await gateway.post({ query: DISTRICTS.text, ...byHash(DISTRICTS) })).body.errors).toBeUndefined();
    expect(gateway.stub.calls).toHaveLength(2);
  });

  it('refuses anything else from a municipal app or an anonymous caller with OPERATION_NOT_TRUSTED, executing nothing', async () => {
    const changed = DISTRICTS.text.replace('officialMunicipalityKey', 'officialMunicipalityKey kind');
    for (const [query, token] of [[AD_HOC, app], [AD_HOC, undefined], [changed, app], [DISTRICTS.text.trim(), undefined]] as const) {
      const answer = await gateway.post({ query }, token);
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(['OPERATION_NOT_TRUSTED']);
      const error = answer.body.errors![0];
      expect(error.message).toMatch(/not a trusted document/);
      expect(error.message).toMatch(/@integration-graph\/client/);
      expect(error.message).toMatch(/npm run codegen -w packages\/client/);
      expect(error.extensions).toMatchObject({ sha256Hash: sha256(query), requestId: expect.any(String) });
    }
    expect(gateway.stub.calls).toHaveLength(0);
    expect(gateway.logs).toContainEqual(expect.objectContaining({ msg: 'operation refused: not a trusted document' }));
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND naming what to do, and the text sent after it with OPERATION_NOT_TRUSTED', async () => {
    const hash = sha256(AD_HOC);
    const first = await gateway.post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, app);
    expect(codes(first)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(first.body.errors![0].message).toMatch(/no trusted document has the hash/);
    const retry = await gateway.post({ query: AD_HOC, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, app);
    expect(codes(retry)).toEqual(['OPERATION_NOT_TRUSTED']);
    expect(gateway.stub.calls).toHaveLength(0);
  });

  it('checks GET requests too', async () => {
    const refused = await gateway.get({ query: AD_HOC });
    expect(codes(refused)).toEqual(['OPERATION_NOT_TRUSTED']);
    const allowed = await gateway.get({ query: DISTRICTS.text }, app);
    expect(allowed.body.errors).toBeUndefined();
  });

  it('lets the people who work in the cooperation send their own operations', async () => {
    for (const token of [coordinator, caseworker, partner]) {
      const answer = await gateway.post({ query: AD_HOC }, token);
      expect(answer.body.errors).toBeUndefined();
    }
    expect(gateway.stub.calls).toHaveLength(3);
  });

  it('the client SDK works as a municipal app: one request per operation, sent by hash', async () => {
    let requests = 0;
    const counting = ((...args: Parameters<typeof fetch>) => {
      requests += 1;
      return fetch(...args);
    }) as typeof fetch;
    const graph = createClient({ url: gateway.url, token: app, fetch: counting });
    expect(await graph.request(DistrictsDocument)).toEqual({ ok: true, data: { organizations: { totalCount: 0, edges: [] } } });
    expect((await graph.withToken(undefined).request(SearchMunicipalitiesDocument, { text: 'Offenburg' })).ok).toBe(true);
    expect(requests).toBe(2);
  });

  it('leaves a token that does not verify to the authentication (HTTP 401), not to the manifest', async () => {
    const answer = await gateway.post({ query: AD_HOC }, 'not-a-token');
    expect(answer.status).toBe(401);
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('TRUSTED_DOCUMENTS=all and off', () => {
  it('all: everyone runs only the manifest', async () => {
    const gateway = await startProductionGateway('all');
    try {
      const caseworker = await roleToken(DEMO_ORGANIZATIONS.ortenaukreis.id, Role.Caseworker);
      expect(codes(await gateway.post({ query: AD_HOC }, caseworker))).toEqual(['OPERATION_NOT_TRUSTED']);
      expect((await gateway.post(byHash(DISTRICTS), caseworker)).body.errors).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });

  it('off: anyone sends anything; a hash of the manifest still needs no second round trip', async () => {
    const gateway = await startProductionGateway('off');
    try {
      const app = await roleToken(DEMO_ORGANIZATIONS.offenburg.id, Role.MunicipalApp);
      expect((await gateway.post({ query: AD_HOC }, app)).body.errors).toBeUndefined();
      expect((await gateway.post(byHash(DISTRICTS))).body.errors).toBeUndefined();
      // another hash: Apollo Server's automatic persisted queries (the client sends the text after this answer)
      expect(codes(await gateway.post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(AD_HOC) } } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    } finally {
      await gateway.close();
    }
  });
});

describe('configuration', () => {
  const load = (env: Record<string, string>, production = env.NODE_ENV === 'production') => {
    const reader = new ConfigReader(env);
    const config = loadTrustedDocumentsConfig(reader, production);
    return { config, problems: reader.problems };
  };

  it('defaults to municipal-apps in production and off otherwise, with the client SDK manifest', () => {
    expect(load({ NODE_ENV: 'production' }).config).toMatchObject({ mode: 'municipal-apps', manifestFile: DEFAULT_MANIFEST_FILE });
    expect(load({ NODE_ENV: 'production' }).config.manifest.size).toBe(MANIFEST.size);
    expect(load({}).config.mode).toBe('off');
    expect(load({ TRUSTED_DOCUMENTS: 'all' }).config.mode).toBe('all');
  });

  it('names a wrong mode and a missing or broken manifest', () => {
    expect(load({ TRUSTED_DOCUMENTS: 'some' }).problems).toEqual([{ name: 'TRUSTED_DOCUMENTS', problem: "'some' is not one of off, municipal-apps, all" }]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-'));
    try {
      const missing = load({ NODE_ENV: 'production', TRUSTED_DOCUMENTS_MANIFEST: path.join(dir, 'none.json') }).problems;
      expect(missing).toEqual([{ name: 'TRUSTED_DOCUMENTS_MANIFEST', problem: expect.stringMatching(/the file does not exist .*TRUSTED_DOCUMENTS=municipal-apps needs the manifest/) }]);
      const broken = path.join(dir, 'broken.json');
      fs.writeFileSync(broken, JSON.stringify({ [sha256('{ a }')]: '{ b }' }));
      expect(load({ TRUSTED_DOCUMENTS: 'all', TRUSTED_DOCUMENTS_MANIFEST: broken }).problems[0].problem).toMatch(/has another SHA-256 hash/);
      // off and the default manifest missing: no problem (the manifest only saves a round trip then)
      expect(load({ TRUSTED_DOCUMENTS: 'off' }).problems).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is part of the gateway configuration, checked at start', () => {
    const saved = { ...process.env };
    try {
      process.env.TRUSTED_DOCUMENTS = 'everything';
      expect(() => loadGatewayConfig()).toThrow(ConfigurationError);
      expect(() => loadGatewayConfig()).toThrow(/TRUSTED_DOCUMENTS: 'everything' is not one of off, municipal-apps, all/);
      process.env.TRUSTED_DOCUMENTS = 'all';
      expect(loadGatewayConfig().trustedDocuments?.mode).toBe('all');
    } finally {
      process.env = saved;
    }
  });
});
