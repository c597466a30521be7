import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** At most this many distinct operation names get their own series; later ones are counted as "other". */
export const OPERATION_NAME_LIMIT = 200;
/** At most this many distinct error codes; later ones are counted as "OTHER". */
export const ERROR_CODE_LIMIT = 50;

/** Latency buckets in seconds, from a DataLoader hit to the subgraph timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The pg Pool behind a TypeORM DataSource (driver.master), as far as the gauges need it. */
export interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** A label set that stops growing: the first `limit` values are kept, anything after is `overflow`. */
class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly overflow: string,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return this.overflow;
    this.seen.add(value);
    return value;
  }
}

const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * The Prometheus metrics of one process (the gateway or a subgraph), in a registry of its own with the label
 * service=<name> on every series (the default Node.js process metrics included):
 *
 * - graphql_requests_total{operation,outcome}      every GraphQL request, outcome success or error
 * - graphql_request_duration_seconds{operation}     latency histogram
 * - graphql_errors_total{operation,code}            errors in responses, by extensions.code
 * - http_request_duration_seconds{method,route,status}  every HTTP request, refused ones (401, 413, 429) included
 * - db_pool_*                                       the subgraph's pg pool (observePool)
 * - gateway_subgraph_request_duration_seconds{subgraph,outcome}  the gateway's calls to the subgraphs
 *
 * operation is the operation's name, "anonymous" for an unnamed one, "invalid" for a request whose document did
 * not parse or validate, and "other" once OPERATION_NAME_LIMIT names have been seen (no unbounded cardinality).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly duration: Histogram<'operation'>;
  private readonly errors: Counter<'operation' | 'code'>;
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private subgraphFetches?: Histogram<'subgraph' | 'outcome'>;
  private readonly operations: BoundedLabel;
  private readonly codes = new BoundedLabel(ERROR_CODE_LIMIT, 'OTHER');

  constructor(
    readonly service: string,
    options: { defaultMetrics?: boolean; operationLimit?: number } = {},
  ) {
    this.registry.setDefaultLabels({ service });
    this.operations = new BoundedLabel(options.operationLimit ?? OPERATION_NAME_LIMIT, 'other');
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (success, or error when the response carries errors)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to sending its response, by operation name',
      labelNames: ['operation'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'graphql_errors_total',
      help: 'Errors in GraphQL responses by operation name and extensions.code',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.http = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route and status (includes requests refused before GraphQL: 401, 413, 429)',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The operation label: the name (bounded), "anonymous", or "invalid" when no operation was resolved. */
  operationLabel(operationName: string | null | undefined, resolved: boolean): string {
    if (!resolved) return 'invalid';
    return operationName ? this.operations.of(operationName) : 'anonymous';
  }

  /** One GraphQL request: its operation, how long it took, and the codes of the errors in its response. */
  recordOperation(operation: string, seconds: number, errorCodes: (string | undefined)[]): void {
    this.requests.inc({ operation, outcome: errorCodes.length > 0 ? 'error' : 'success' });
    this.duration.observe({ operation }, seconds);
    for (const raw of errorCodes) {
      const code = raw && ERROR_CODE.test(raw) ? this.codes.of(raw) : raw ? 'OTHER' : 'INTERNAL_SERVER_ERROR';
      this.errors.inc({ operation, code });
    }
  }

  /**
   * Gauges of a pg pool, read when Prometheus scrapes (the pool may not exist yet: then nothing is reported):
   * db_pool_total_connections, db_pool_idle_connections, db_pool_waiting_clients, db_pool_max_connections.
   */
  observePool(pool: () => PoolLike | undefined): void {
    const gauge = (name: string, help: string, read: (pool: PoolLike) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const current = pool();
          const value = current ? read(current) : undefined;
          if (value !== undefined) this.set(value);
          else this.reset();
        },
      });
    gauge('db_pool_total_connections', 'Connections the pool holds (idle and in use)', (p) => p.totalCount);
    gauge('db_pool_idle_connections', 'Connections in the pool that are not in use', (p) => p.idleCount);
    gauge('db_pool_waiting_clients', 'Requests waiting for a connection because all are in use', (p) => p.waitingCount);
    gauge('db_pool_max_connections', 'Size limit of the pool (DB_POOL_SIZE)', (p) => p.options?.max);
  }

  /** The gateway's fetcher for one subgraph, timed: outcome ok, http_error (status >= 400), timeout or error. */
  timedFetcher<F extends (...args: never[]) => Promise<{ status: number }>>(subgraph: string, fetcher: F): F {
    this.subgraphFetches ??= new Histogram({
      name: 'gateway_subgraph_request_duration_seconds',
      help: 'Time of the gateway\'s requests to each subgraph, by outcome (ok, http_error, timeout, error)',
      labelNames: ['subgraph', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    const histogram = this.subgraphFetches;
    return (async (...args: Parameters<F>) => {
      const end = histogram.startTimer({ subgraph });
      try {
        const response = await fetcher(...args);
        end({ outcome: response.status >= 400 ? 'http_error' : 'ok' });
        return response;
      } catch (error) {
        end({ outcome: (error as Error)?.name === 'AbortError' ? 'timeout' : 'error' });
        throw error;
      }
    }) as F;
  }

  /**
   * Times every HTTP request. `routes` are the process's paths (a trailing * matches a prefix, e.g.
   * /exports/data-subject/*); anything else is counted as route "other", so that probing random paths adds no series.
   */
  httpMiddleware(routes: string[]): RequestHandler {
    const exact = new Set(routes.filter((route) => !route.endsWith('*')));
    const prefixes = routes.filter((route) => route.endsWith('*')).map((route) => route.slice(0, -1));
    const routeOf = (path: string) => {
      if (exact.has(path)) return path;
      const prefix = prefixes.find((p) => path.startsWith(p));
      return prefix !== undefined ? `${prefix}*` : 'other';
    };
    const methods = new Set(['GET', 'POST', 'OPTIONS', 'HEAD']);
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.http.startTimer();
      // Taken now: routers mounted on a path (app.use('/graphql', ...)) shorten req.path while they run.
      const route = routeOf(req.path);
      res.once('finish', () => {
        end({ method: methods.has(req.method) ? req.method : 'other', route, status: String(res.statusCode) });
      });
      next();
    };
  }
}

/** Compares a bearer token with the configured one in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * GET /metrics in the Prometheus text format. Open when no token is configured (then it must be reachable from the
 * monitoring network only); with METRICS_TOKEN only for "Authorization: Bearer <METRICS_TOKEN>" (else HTTP 401).
 */
export function metricsHandler(metrics: Metrics, token?: string): RequestHandler {
  return async (req: Request, res: Response) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('www-authenticate', 'Bearer realm="metrics"').type('text/plain').send('Send "Authorization: Bearer <METRICS_TOKEN>" to read the metrics.\n');
      return;
    }
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
