import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  AuthenticationError,
  bearerToken,
  createTokenVerifier,
  formatError,
  graphqlMetricsPlugin,
  Metrics,
  metricsHandler,
  GATEWAY_SECRET_HEADER,
  isClientErrorCode,
  Logger,
  Principal,
  REQUEST_ID_HEADER,
  purposeFrom,
  PURPOSE_HEADER,
  unauthenticated,
} from '@integration-graph/common';
import express from 'express';
import { buildSchema } from 'graphql';
import fetch, { RequestInit } from 'node-fetch';
import { SUPERGRAPH_FILE, SubgraphName } from './compose';
import { GatewayConfig } from './config';
import { dataSubjectExport } from './data-subject-export';
import { comparisonExport } from './exports';
import { httpErrors, refuseBatches, requestLimits } from './limits';
import { rateLimit } from './rate-limit';
import { assignRequestId, currentRequestId, reenterRequestScope } from './request-scope';

export interface GatewayContext {
  requestId: string;
  /** The caller's verified token, forwarded to every subgraph (which verifies it again). */
  token?: string;
  /** The purpose the caller stated (X-Purpose), forwarded for the subgraphs' audit trails. */
  purpose?: string | null;
  principal: Principal | null;
}

/**
 * Keep-alive connections to the subgraphs. @apollo/gateway ignores an agent set in willSendRequest; it must be
 * given through the fetcher. Every subgraph call has a timeout.
 */
function keepAliveFetcher(timeoutMs: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return async (url: string, init?: RequestInit) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await fetch(url, { ...init, agent, signal: controller.signal as RequestInit['signal'] });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Every subgraph request carries the request id, the caller's token (if any) and the gateway's shared secret
 * (x-gateway-secret): the subgraphs answer only callers with a valid token or the gateway.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  gatewaySecret?: string;

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!request.http) return;
    if (this.gatewaySecret) request.http.headers.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    if (context.requestId) request.http.headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.token) request.http.headers.set('authorization', `Bearer ${context.token}`);
    if (context.purpose) request.http.headers.set(PURPOSE_HEADER, context.purpose);
  }
}

const requestLogPlugin = (logger: Logger): ApolloServerPlugin<GatewayContext> => ({
  async requestDidStart() {
    const started = Date.now();
    return {
      async willSendResponse({ contextValue, operationName, errors }) {
        logger.info(
          { requestId: contextValue.requestId, operationName, ms: Date.now() - started, errors: errors?.length ?? 0, user: contextValue.principal?.userId },
          'graphql request',
        );
      },
    };
  },
});

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

/** @apollo/gateway inside Apollo Server, on the static supergraph composed from the checked-in subgraph schemas. */
export async function startGateway(config: GatewayConfig, logger: Logger, supergraphSdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8')): Promise<RunningGateway> {
  const verify = createTokenVerifier(config.auth);
  if (!config.gatewaySecret) {
    logger.warn('GATEWAY_SHARED_SECRET is not set: the subgraphs will refuse every request without a token (the public directory included)');
  }
  const fetcher = keepAliveFetcher(config.subgraphTimeoutMs);
  // Prometheus metrics of this process, GET /metrics (docs/operations.md, "Metrics").
  const metrics = new Metrics('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      Object.assign(new SubgraphDataSource({ url: config.subgraphUrls[name as SubgraphName], fetcher: metrics.timedFetcher(name, fetcher) as never }), {
        gatewaySecret: config.gatewaySecret,
      }),
    logger,
  });
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  // Every response carries x-request-id; every error the gateway returns carries it as extensions.requestId.
  app.use(assignRequestId);
  app.use(metrics.httpMiddleware(['/graphql', '/health', '/ready', '/metrics', '/exports/district-comparison.csv', '/exports/district-comparison.html', '/exports/data-subject/*']));
  const httpServer = http.createServer(app);
  // Depth, cost, aliases, directives and tokens of every operation that comes over HTTP (limits.ts).
  const limits = requestLimits(config.limits, logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    includeStacktraceInErrorResponses: !config.production,
    formatError: formatError(config.production, {
      requestId: currentRequestId,
      onError: ({ requestId, code, formatted, original }) => {
        if (isClientErrorCode(code)) logger.info({ requestId, code, message: formatted.message, path: formatted.path }, 'graphql error returned');
        else logger.error({ requestId, code, err: original }, 'graphql error returned');
      },
    }),
    // Both are Apollo Server's defaults, set here so that nobody turns them off unnoticed: one operation per request
    // (each counted and limited), and no GraphQL request a browser could send cross-site without a preflight.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      requestLogPlugin(logger),
      graphqlMetricsPlugin<GatewayContext>(metrics),
      limits.plugin as ApolloServerPlugin<GatewayContext>,
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/ready', async (_req, res) => {
    const subgraphs = await Promise.all(
      Object.entries(config.subgraphUrls).map(async ([name, url]) => {
        try {
          const response = await fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(2_000) as RequestInit['signal'] });
          return [name, response.ok ? 'ready' : 'not-ready'] as const;
        } catch {
          return [name, 'unreachable'] as const;
        }
      }),
    );
    const ready = subgraphs.every(([, state]) => state === 'ready');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', service: 'gateway', subgraphs: Object.fromEntries(subgraphs) });
  });
  app.get('/metrics', metricsHandler(metrics, config.metricsToken));
  /** The caller's token, verified once per request (the rate limit and the GraphQL context both need it). */
  const authenticate = (req: express.Request, res: express.Response): Promise<{ token?: string; principal: Principal | null }> => {
    const known = res.locals.authentication as Promise<{ token?: string; principal: Principal | null }> | undefined;
    if (known) return known;
    const authentication = (async () => {
      const token = bearerToken(req.headers.authorization);
      return { token, principal: token ? await verify(token) : null };
    })();
    res.locals.authentication = authentication;
    return authentication;
  };
  const contextFor = async (req: express.Request, res: express.Response): Promise<GatewayContext> => {
    const requestId = (res.locals.requestId as string | undefined) ?? currentRequestId()!;
    try {
      const { token, principal } = await authenticate(req, res);
      return { requestId, token, principal, purpose: purposeFrom(req.headers[PURPOSE_HEADER]) };
    } catch (error) {
      if (error instanceof AuthenticationError) throw unauthenticated(error.message, { badToken: true });
      throw error;
    }
  };
  // Per user, organisation and (without a token) client IP; before the body is read (rate-limit.ts).
  const limitRate = rateLimit(config.rateLimits, authenticate, logger);
  app.use(
    '/graphql',
    limitRate,
    express.json({ limit: config.limits.maxBodyBytes }),
    refuseBatches,
    reenterRequestScope,
    expressMiddleware(apollo, { context: ({ req, res }) => contextFor(req, res) }),
    httpErrors(config.limits, logger),
  );
  // The cooperation meeting's comparison as downloads (same query as the API, the caller's token).
  app.get('/exports/district-comparison.csv', limitRate, comparisonExport(apollo as never, 'csv', contextFor));
  app.get('/exports/district-comparison.html', limitRate, comparisonExport(apollo as never, 'html', contextFor));
  // A data subject's access/portability export: everything about one client across the subgraphs, as JSON.
  const apiSchema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  app.get('/exports/data-subject/:clientId.json', limitRate, dataSubjectExport(apollo as never, () => apiSchema, contextFor));
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://${config.host}:${port}/graphql`, close: () => apollo.stop() };
}
