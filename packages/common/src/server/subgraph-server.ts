import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { DataSource } from 'typeorm';
import { createTokenVerifier, bearerToken, AuthenticationError } from '../auth/tokens';
import { admitSubgraphCaller, GATEWAY_SECRET_HEADER } from '../auth/gateway-secret';
import { Principal } from '../auth/principal';
import { ServiceConfig } from '../config';
import { Loaders, RequestContext, requestIdFrom, REQUEST_ID_HEADER } from '../context';
import { databaseFailure, databaseUnavailableError } from '../db/availability';
import { checkReady } from '../db/migrate';
import { ANONYMOUS_SCOPE, RequestTransaction, withScope } from '../db/request-transaction';
import { AuditLog, purposeFrom, PURPOSE_HEADER } from '../audit/audit-log';
import { unauthenticated } from '../errors';
import { Logger } from '../logger';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics';
import { requestIdMiddleware } from '../observability/http';
import { Metrics, metricsHandler, PoolLike } from '../observability/metrics';
import { formatError } from './format-error';
import { refuseNulCharacters } from '../graphql/nul-characters';
import { trackHttpServer } from './http-drain';
import { keepConnectionsAlive } from './keep-alive';

/** The largest request body a subgraph reads (representations of a whole state's comparison fit many times). */
export const SUBGRAPH_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface RunningServer {
  url: string;
  port: number;
  /** The process's Prometheus metrics (served at GET /metrics). */
  metrics: Metrics;
  /**
   * Stops gracefully: no new connections, idle keep-alive connections closed at once, requests in flight answered
   * (for up to timeoutMs, then cut off), then Apollo Server stopped. Resolves with the number of requests cut off.
   */
  close(timeoutMs?: number): Promise<{ cutOff: number }>;
}

/** The request's response becomes this error, its data dropped (a commit that failed, a read that could not be recorded). */
function failResponse(response: { body: { kind: string; singleResult?: { data?: unknown; errors?: readonly GraphQLFormattedError[] } } }, error: GraphQLError): void {
  if (response.body.kind !== 'single' || !response.body.singleResult) return;
  const result = response.body.singleResult;
  response.body.singleResult = { ...result, data: null, errors: [...(result.errors ?? []), error.toJSON()] };
}

/** Commits the request's transaction when the request succeeded, rolls it back otherwise. */
const requestTransactionPlugin = (service: string): ApolloServerPlugin<RequestContext> => ({
  async requestDidStart() {
    const started = Date.now();
    return {
      async didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) {
          const code = error.extensions?.code;
          if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
            contextValue.logger.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error');
          }
        }
      },
      async didResolveOperation({ contextValue, operationName }) {
        contextValue.audit.operationName = operationName ?? null;
      },
      async willSendResponse({ contextValue, errors, response, operationName }) {
        const failed = (errors?.length ?? 0) > 0 ||
          (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
        const { audit, tx } = contextValue;
        let committing = false;
        try {
          // The audit entries are the transaction's last statement: written and committed with the request's
          // changes, or (when it failed and rolls back) the reads that did reach the caller in a transaction of
          // their own. An entry that cannot be written fails the request: no access without a record.
          if (!failed && !audit.isEmpty) await audit.flush(await tx.manager(), { writes: true });
          committing = !failed;
          await tx.finish(!failed);
          committing = false;
          if (failed && audit.hasReads) await withScope(tx.dataSource, tx.scope, (manager) => audit.flush(manager, { writes: false }));
        } catch (error) {
          await tx.finish(false).catch(() => undefined);
          // The caller gets an error instead of the data (never a success that was not committed, nor data whose
          // read was not recorded); when the database went away during the commit, it is told that the change may
          // or may not have been saved (retry with the idempotency key).
          const failure = databaseFailure(error);
          contextValue.logger.error({ err: error, failure, committing }, 'finishing the request transaction failed');
          failResponse(
            response,
            failure
              ? databaseUnavailableError(service, failure, { duringCommit: committing && !(error as { beforeCommit?: boolean }).beforeCommit })
              : new GraphQLError('Internal server error: the request could not be completed; nothing was changed', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
          );
        }
        contextValue.logger.info(
          { requestId: contextValue.requestId, operationName, ms: Date.now() - started, failed, user: contextValue.principal?.userId },
          'graphql request',
        );
      },
    };
  },
});

/** The pg Pool behind a TypeORM DataSource (PostgresDriver.master), once the DataSource is initialised. */
function poolOf(dataSource: DataSource): PoolLike | undefined {
  return (dataSource.driver as unknown as { master?: PoolLike }).master;
}

/**
 * Serves one subgraph: POST /graphql (Apollo Server with the federated schema), GET /health (process up) and
 * GET /ready (database reachable, migrations applied), both open, and GET /metrics (Prometheus; open, or with
 * METRICS_TOKEN only for that bearer token). The subgraph verifies the caller's token itself and answers /graphql
 * only with a valid token or the gateway's shared secret (admitSubgraphCaller).
 */
export async function startSubgraphServer(options: {
  config: ServiceConfig;
  schema: GraphQLSchema;
  dataSource: DataSource;
  logger: Logger;
  /** Default: a new registry with the process metrics (tests starting several subgraphs in one process pass their own). */
  metrics?: Metrics;
}): Promise<RunningServer> {
  const { config, schema, dataSource, logger } = options;
  const metrics = options.metrics ?? new Metrics(config.name);
  metrics.observePool(() => poolOf(dataSource));
  const verify = createTokenVerifier(config.auth);
  const app = express();
  app.disable('x-powered-by');
  // The request id first, so that every log line of the request carries it; then the HTTP metrics.
  app.use(requestIdMiddleware());
  app.use(metrics.httpMiddleware(['/graphql', '/health', '/ready', '/metrics']));
  const httpServer = http.createServer(app);
  keepConnectionsAlive(httpServer);
  // Graceful stop (close): requests in flight finish, idle connections close at once (instead of Apollo's drain plugin).
  const connections = trackHttpServer(httpServer);
  const format = formatError(config.production);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: !config.production,
    // The process stops on SIGTERM itself, in order (runSubgraph). Apollo's own handler (on outside NODE_ENV=test)
    // stopped it at once, under the requests in flight, and a second stop() waited forever for the first.
    stopOnTerminationSignals: false,
    // A database that is down or too slow is named as such (SERVICE_UNAVAILABLE), never as the driver's message.
    formatError: (formatted, error) => {
      const failure = databaseFailure(error);
      if (!failure) return format(formatted, error);
      return { ...databaseUnavailableError(config.name, failure, { path: formatted.path }).toJSON(), locations: formatted.locations };
    },
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      // A NUL character in a variable or literal: BAD_USER_INPUT before anything runs (PostgreSQL's text cannot hold it).
      refuseNulCharacters as ApolloServerPlugin<RequestContext>,
      requestTransactionPlugin(config.name),
      graphqlMetricsPlugin<RequestContext>(metrics),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: config.name });
  });
  app.get('/ready', async (_req, res) => {
    const state = connections.draining ? { ready: false, reason: 'stopping' } : await checkReady(dataSource);
    res.status(state.ready ? 200 : 503).json({ status: state.ready ? 'ready' : 'not-ready', service: config.name, reason: state.reason });
  });
  app.get('/metrics', metricsHandler(metrics, config.metricsToken));
  app.use(
    '/graphql',
    // The gateway's requests carry the representations of every entity of a step (with @requires, their figures):
    // the standards of a whole state's comparison are 1,119 municipalities with their metrics, over 1 MB. The public
    // limit is the gateway's (GRAPHQL_MAX_BODY_BYTES); a subgraph answers only the gateway or a valid token.
    express.json({ limit: SUBGRAPH_MAX_BODY_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
        let principal: Principal | null = null;
        let token: string | undefined;
        try {
          token = bearerToken(req.headers.authorization);
          if (token) principal = await verify(token);
        } catch (error) {
          if (error instanceof AuthenticationError) throw unauthenticated(error.message, { badToken: true });
          throw error;
        }
        // A valid token, or the gateway's shared secret; anything else is refused here (HTTP 401), before any resolver.
        admitSubgraphCaller({ secret: config.gatewaySecret, header: req.headers[GATEWAY_SECRET_HEADER], authenticated: principal !== null });
        const scope = principal
          ? { organizationId: principal.organizationId, userId: principal.userId, roles: principal.roles }
          : ANONYMOUS_SCOPE;
        const context: RequestContext = {
          requestId,
          principal,
          token,
          tx: new RequestTransaction(dataSource, scope),
          loaders: new Loaders(() => context),
          logger,
          audit: new AuditLog(config.name, requestId, principal, purposeFrom(req.headers[PURPOSE_HEADER])),
        };
        return context;
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    metrics,
    async close(timeoutMs = 10_000) {
      const drained = await connections.drain(timeoutMs);
      await apollo.stop();
      return drained;
    },
  };
}
