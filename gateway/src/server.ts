import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
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
  IDLE_SOCKET_TIMEOUT_MS,
  keepConnectionsAlive,
  isClientErrorCode,
  Logger,
  Principal,
  REQUEST_ID_HEADER,
  purposeFrom,
  refuseNulCharacters,
  PURPOSE_HEADER,
  trackHttpServer,
  unauthenticated,
} from '@integration-graph/common';
import express from 'express';
import { buildSchema } from 'graphql';
import fetch, { RequestInit } from 'node-fetch';
import { SUPERGRAPH_FILE, SubgraphName } from './compose';
import { GatewayConfig } from './config';
import { dataSubjectExport } from './data-subject-export';
import { comparisonExport } from './exports';
import { isIncomingOperation, subgraphFailure, unavailableResponse } from './subgraph-failures';
import { httpErrors, refuseBatches, requestLimits } from './limits';
import { operationChecks, withSubgraphClientErrors } from './input-errors';
import { rateLimit } from './rate-limit';
import { assignRequestId, currentRequestId, reenterRequestScope } from './request-scope';
import { trustedDocuments, trustedDocumentsOff } from './trusted-documents';
import { consoleRoutes, consoleSettings } from './console';

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
  // An idle connection is closed here after 60 s, before the subgraph closes it (KEEP_ALIVE_TIMEOUT_MS, 65 s): a
  // request never goes out on a socket the subgraph is closing at that moment ("socket hang up" after 5 s idle,
  // Node's default keep-alive timeout, seen in the benchmark).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_TIMEOUT_MS });
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
  subgraphName = 'subgraph';
  timeoutMs = 10_000;
  logger?: Logger;

  /**
   * A subgraph that is down, too slow or failing gives no answer: the gateway answers with the other subgraphs'
   * data and a SUBGRAPH_UNAVAILABLE error at the missing part instead of failing the whole request
   * (subgraph-failures.ts). The next request tries the subgraph again: nothing to reset when it is back.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      const failure = isIncomingOperation(options as GraphQLDataSourceProcessOptions) ? subgraphFailure(error) : null;
      if (!failure) throw error;
      this.logger?.warn({ err: error, subgraph: this.subgraphName, failure, requestId: options.context?.requestId }, 'subgraph unavailable: answering without its part');
      return unavailableResponse(this.subgraphName, failure, options as GraphQLDataSourceProcessOptions, this.timeoutMs);
    }
  }

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
  /**
   * Stops gracefully: no new connections, idle keep-alive connections closed at once, requests in flight answered
   * (for up to timeoutMs, then cut off), then Apollo Server stopped. Resolves with the number of requests cut off.
   */
  close(timeoutMs?: number): Promise<{ cutOff: number } | void>;
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
        subgraphName: name,
        timeoutMs: config.subgraphTimeoutMs,
        logger,
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
  keepConnectionsAlive(httpServer);
  // Graceful stop (close): requests in flight finish, idle connections close at once (instead of Apollo's drain plugin).
  const connections = trackHttpServer(httpServer);
  // Depth, cost, aliases, directives and tokens of every operation that comes over HTTP (limits.ts).
  const limits = requestLimits(config.limits, logger);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // The process stops on SIGTERM itself (main.ts): Apollo's own handler (on outside NODE_ENV=test) stopped it at
    // once, under the requests in flight, and a second stop() waited forever for the first.
    stopOnTerminationSignals: false,
    introspection: !config.production,
    includeStacktraceInErrorResponses: !config.production,
    // A subgraph's refusal of a variable (HTTP 4xx) reaches the caller as the subgraph's client error (input-errors.ts).
    formatError: withSubgraphClientErrors(formatError(config.production, {
      requestId: currentRequestId,
      onError: ({ requestId, code, formatted, original }) => {
        if (isClientErrorCode(code)) logger.info({ requestId, code, message: formatted.message, path: formatted.path }, 'graphql error returned');
        else logger.error({ requestId, code, err: original }, 'graphql error returned');
      },
    })),
    // Both are Apollo Server's defaults, set here so that nobody turns them off unnoticed: one operation per request
    // (each counted and limited), and no GraphQL request a browser could send cross-site without a preflight.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    parseOptions: limits.parseOptions,
    plugins: [
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      requestLogPlugin(logger),
      graphqlMetricsPlugin<GatewayContext>(metrics),
      limits.plugin as ApolloServerPlugin<GatewayContext>,
      // An unknown operation name or a subscription: HTTP 400 here, not a failure in the executor (input-errors.ts).
      operationChecks as ApolloServerPlugin<GatewayContext>,
      // A NUL character in a variable or literal: BAD_USER_INPUT before anything runs (the subgraphs refuse it too).
      refuseNulCharacters as ApolloServerPlugin<GatewayContext>,
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  // Ready when every subgraph is; otherwise 503 naming each one that is not, with its reason (its own /ready's:
  // "database unreachable (ECONNREFUSED)", "stopping", ...; or that it did not answer), and 503 while stopping.
  app.get('/ready', async (_req, res) => {
    const subgraphs = await Promise.all(
      Object.entries(config.subgraphUrls).map(async ([name, url]) => {
        try {
          const response = await fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(2_000) as RequestInit['signal'] });
          if (response.ok) return [name, 'ready', undefined] as const;
          const body = (await response.json().catch(() => ({}))) as { reason?: unknown };
          return [name, 'not-ready', typeof body.reason === 'string' ? body.reason : `HTTP ${response.status}`] as const;
        } catch (error) {
          const timedOut = (error as { name?: string; type?: string }).name === 'AbortError' || (error as { type?: string }).type === 'aborted';
          return [name, 'unreachable', timedOut ? 'no answer within 2 s' : 'not reachable'] as const;
        }
      }),
    );
    const ready = !connections.draining && subgraphs.every(([, state]) => state === 'ready');
    const reasons = Object.fromEntries(subgraphs.filter(([, , reason]) => reason).map(([name, , reason]) => [name, reason]));
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not-ready',
      service: 'gateway',
      subgraphs: Object.fromEntries(subgraphs.map(([name, state]) => [name, state])),
      ...(connections.draining ? { reason: 'stopping' } : {}),
      ...(Object.keys(reasons).length > 0 ? { reasons } : {}),
    });
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
    // Municipal apps and anonymous callers: only the operations of the trusted-documents manifest in production.
    trustedDocuments(config.trustedDocuments ?? trustedDocumentsOff(), authenticate, logger),
    expressMiddleware(apollo, { context: ({ req, res }) => contextFor(req, res) }),
    httpErrors(config.limits, logger),
  );
  // The cooperation meeting's comparison as downloads (same query as the API, the caller's token).
  app.get('/exports/district-comparison.csv', limitRate, comparisonExport(apollo as never, 'csv', contextFor));
  app.get('/exports/district-comparison.html', limitRate, comparisonExport(apollo as never, 'html', contextFor));
  // A data subject's access/portability export: everything about one client across the subgraphs, as JSON.
  const apiSchema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  app.get('/exports/data-subject/:clientId.json', limitRate, dataSubjectExport(apollo as never, () => apiSchema, contextFor));
  // The web console at / and, in development only, its login picker (console.ts, docs/console.md).
  app.use(consoleRoutes(consoleSettings(config), config.auth, logger));
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}/graphql`,
    async close(timeoutMs = 10_000) {
      const drained = await connections.drain(timeoutMs);
      await apollo.stop();
      return drained;
    },
  };
}
