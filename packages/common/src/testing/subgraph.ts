import { Client } from 'pg';
import { GATEWAY_SECRET_HEADER } from '../auth/gateway-secret';
import { loadAuthConfig, ServiceConfig } from '../config';
import { createLogger } from '../logger';
import { startSubgraph, SubgraphDefinition } from '../server/subgraph';
import { createTestDatabase, TestDatabase } from './database';
import { StatementLog } from './statement-log';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * The gateway's shared secret (GATEWAY_SHARED_SECRET) of the subgraphs that startTestSubgraph starts. Subgraph tests
 * play the gateway with it: postGraphQL sends it with every request without a token unless told otherwise.
 */
export const TEST_GATEWAY_SECRET = 'test-gateway-secret-0123456789abcdef0123456789abcdef';

export interface PostOptions {
  /**
   * What to send in x-gateway-secret: by default TEST_GATEWAY_SECRET when there is no token (an anonymous caller
   * through the gateway) and nothing with a token; a string sends that, null sends nothing (a caller straight at
   * the subgraph).
   */
  gatewaySecret?: string | null;
}

export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
  options: PostOptions = {},
): Promise<GraphQLResponse<T>> {
  const secret = options.gatewaySecret === undefined ? (token ? null : TEST_GATEWAY_SECRET) : options.gatewaySecret;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(secret ? { [GATEWAY_SECRET_HEADER]: secret } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

export interface TestSubgraph {
  url: string;
  baseUrl: string;
  database: TestDatabase;
  statements: StatementLog;
  /** POST /graphql; without a token as an anonymous caller through the gateway (see PostOptions). */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string, options?: PostOptions): Promise<GraphQLResponse<T>>;
  /** Raw SQL as the owner role (bypasses row-level security): for arranging and checking data. */
  ownerQuery<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** A raw connection as the application role, for row-level-security tests. */
  appClient(): Promise<Client>;
  stop(): Promise<void>;
}

/** Starts the real subgraph (migrations, optional demo seed, HTTP server) on its own fresh database. */
export async function startTestSubgraph(definition: SubgraphDefinition, options: { seed?: boolean } = {}): Promise<TestSubgraph> {
  const database = await createTestDatabase(definition.name);
  const statements = new StatementLog();
  const config: ServiceConfig = {
    name: definition.name,
    host: '127.0.0.1',
    port: 0,
    databaseUrl: database.appUrl,
    migrationDatabaseUrl: database.ownerUrl,
    seedDemoData: options.seed ?? false,
    poolSize: 4,
    statementTimeoutMs: 10_000,
    auth: loadAuthConfig(),
    gatewaySecret: TEST_GATEWAY_SECRET,
    production: false,
  };
  const started = await startSubgraph(definition, config, createLogger(definition.name), statements);
  const owner = new Client({ connectionString: database.ownerUrl });
  await owner.connect();
  return {
    url: started.server.url,
    baseUrl: started.server.url.replace(/\/graphql$/, ''),
    database,
    statements,
    graphql: (query, variables, token, options) => postGraphQL(started.server.url, query, variables, token, {}, options),
    ownerQuery: async (sql, params) => (await owner.query(sql, params)).rows,
    appClient: async () => {
      const client = new Client({ connectionString: database.appUrl });
      await client.connect();
      return client;
    },
    async stop() {
      await owner.end();
      await started.stop();
      await database.drop();
    },
  };
}
