import path from 'node:path';

/**
 * Every environment variable the platform reads, in one place, so that documentation, docker-compose and the
 * compose test can check against the code. Add a variable here before reading it anywhere.
 */
export const ENV = {
  NODE_ENV: 'development | test | production',
  LOG_LEVEL: 'pino level (default info)',
  HOST: 'interface to listen on (default 127.0.0.1; 0.0.0.0 in containers)',
  PORT: 'HTTP port of the process',
  DATABASE_URL: "the subgraph's own database, as its non-owner application role (row-level security applies)",
  MIGRATION_DATABASE_URL: "the subgraph's own database as the owner role; when set, the service migrates on start",
  SEED_DEMO_DATA: 'true to insert the demo data idempotently on start (needs MIGRATION_DATABASE_URL)',
  DB_POOL_SIZE: 'connections per service pool (default 10)',
  DB_STATEMENT_TIMEOUT_MS:
    'subgraphs: longest a SQL statement may run before PostgreSQL cancels it (statement_timeout; default 10000, 0: none; a transaction left idle is ended after 3 times as long; docs/operations.md "Failures and shutdown")',
  DB_CONNECT_TIMEOUT_MS:
    'subgraphs: longest a request waits for a database connection, a new one or a free one of the pool, before it fails (default 5000)',
  AUTH_ISSUER: 'expected JWT issuer (default integration-graph-dev)',
  AUTH_AUDIENCE: 'expected JWT audience (default integration-graph)',
  AUTH_JWKS_URL: 'JWKS of the identity provider (required in production)',
  AUTH_DEV_KEYS_DIR: 'folder with development signing keys (development and test only)',
  SHARED_DATA_DIR: 'folder with the shared reference data (default ../shared/data beside the repository)',
  DIRECTORY_STALE_AFTER_DAYS: 'partners: a directory entry not verified for this many days is flagged as stale (default 180)',
  REFERRAL_RESPONSE_DEADLINE_DAYS: 'referrals: days a partner has to answer a sent referral before it expires (default 14)',
  OUTBOX_POLL_MS: 'referrals: how often the delivery worker looks for due webhook deliveries (default 1000)',
  WEBHOOK_TIMEOUT_MS: 'referrals: timeout of one webhook delivery (default 5000)',
  WEBHOOK_MAX_ATTEMPTS: 'referrals: delivery attempts before an event is marked undeliverable (default 10)',
  STATS_MIN_CELL_SIZE: 'statistics: counts below this are suppressed (default 5)',
  CASE_RETENTION_MONTHS:
    'cases: a client whose cases are all closed is anonymised this many months after the last closure (default 36; docs/cases.md)',
  REFERRAL_RETENTION_MONTHS:
    'referrals: snapshot and free text of a referral are deleted this many months after it closed (default: CASE_RETENTION_MONTHS, 36)',
  RETENTION_INTERVAL_MS: 'cases, referrals: how often the retention job looks for expired data (default 3600000, one hour; 0 turns the job off)',
  PARTNERS_URL: 'gateway, referrals, cases: GraphQL URL of the partners subgraph',
  CASES_URL: 'gateway, referrals: GraphQL URL of the cases subgraph',
  REFERRALS_URL: 'gateway: GraphQL URL of the referrals subgraph',
  ADMIN_DATABASE_URL: 'npm start: superuser connection to an external PostgreSQL instead of the embedded one',
  DATA_DIR: 'npm start: folder for the embedded cluster, development keys and generated passwords (default .data)',
  GATEWAY_PORT: 'npm start: gateway port (default 4000; subgraphs use the next three)',
  EMBEDDED_POSTGRES_PORT: 'npm start: port of the embedded PostgreSQL (default 54329)',
  TEST_ADMIN_DATABASE_URL: 'npm test: superuser connection to an external PostgreSQL instead of the embedded one',
  PLATFORM_PARENT_PID: 'set by npm start: the process exits when this parent process is gone (no orphans)',
  SUBGRAPH_TIMEOUT_MS: 'gateway, and subgraphs calling another: timeout of one subgraph request (default 10000)',
  SHUTDOWN_TIMEOUT_MS:
    'every process and npm start: after SIGTERM, how long requests in flight and background work may take to finish before they are cut off (default 10000; the launcher waits this plus 5 s per stage before SIGKILL)',
  GRAPHQL_MAX_DEPTH: 'gateway: deepest selection nesting of an operation (default 15; 0 turns the limit off; docs/operations.md)',
  GRAPHQL_MAX_COST: 'gateway: highest estimated cost of an operation, list sizes counted (default 1000000; 0: off; docs/operations.md)',
  GRAPHQL_DEFAULT_LIST_SIZE: 'gateway: items assumed for a list without first/last/limit in the cost estimate (default 10)',
  GRAPHQL_MAX_ALIASES: 'gateway: aliases per operation (default 30; 0: off)',
  GRAPHQL_MAX_DIRECTIVES: 'gateway: directives per operation (default 50; 0: off)',
  GRAPHQL_MAX_TOKENS: 'gateway: lexical tokens per GraphQL document (default 5000; 0: off)',
  GRAPHQL_MAX_BODY_BYTES: 'gateway: largest request body in bytes, HTTP 413 above (default 1048576)',
  RATE_LIMIT_USER_PER_MINUTE: 'gateway: requests per minute per user (token subject), HTTP 429 above (default 1200; 0: off)',
  RATE_LIMIT_ORGANIZATION_PER_MINUTE: "gateway: requests per minute of all users of one organisation (the token's org_id) (default 6000; 0: off)",
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: 'gateway: requests per minute per client IP without a token (default 1200; 0: off)',
  TRUST_PROXY:
    "gateway: Express's trust proxy setting, so that the per-IP rate limit sees the client behind a load balancer: a number of proxy hops or a list of proxy addresses/subnets (default: none, the socket's address)",
  TRUSTED_DOCUMENTS:
    'gateway: off | municipal-apps | all: who may run only the operations of the trusted-documents manifest (default municipal-apps in production: municipal apps and callers without a token; off otherwise; docs/security.md)',
  TRUSTED_DOCUMENTS_MANIFEST: 'gateway: the trusted-documents manifest, hash -> operation (default packages/client/persisted-operations.json)',
  CONSOLE_DIR:
    "gateway: the built web console served at / (default apps/console/dist when it is built; off: none; docs/console.md)",
  STATISTICS_PUBLISH_INTERVAL_MS:
    'cases, referrals: how often the figures of large comparisons (the whole state) are published (default 900000, 15 minutes; 0 turns the job off and every comparison is computed live; docs/cases.md "Statistics")',
  STATISTICS_PUBLISHED_MIN_GROUPS:
    'cases, referrals: a statistics batch of at least this many municipalities or providers of one period reads the published figures (default 200; a district has at most about 60)',
  STATISTICS_PUBLISHED_MAX_AGE_MS: 'cases, referrals: published figures older than this are not used, the figures are computed live (default 2 × STATISTICS_PUBLISH_INTERVAL_MS)',
  AUDIT_CHAIN_INTERVAL_MS: 'subgraphs: how often the audit entries written since are hash-chained (default 1000; 0 turns it off)',
  GATEWAY_SHARED_SECRET:
    'gateway and every subgraph: the secret (at least 32 characters) the gateway sends in x-gateway-secret; a subgraph answers a request without a valid token only when it matches (required in production; npm start generates one per start)',
  METRICS_TOKEN:
    'every process: when set (at least 16 characters), GET /metrics answers only requests with "Authorization: Bearer <METRICS_TOKEN>"; without it /metrics is open (reachable from the monitoring network only, docs/operations.md)',
  OTEL_TRACING: 'every process: on to export OpenTelemetry traces (default off; on by itself when OTEL_EXPORTER_OTLP_ENDPOINT is set)',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'tracing: base URL of the OTLP/HTTP collector (traces go to <url>/v1/traces; default http://localhost:4318)',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'tracing: full OTLP/HTTP URL for traces (overrides OTEL_EXPORTER_OTLP_ENDPOINT)',
  OTEL_TRACES_EXPORTER: 'tracing: otlp (default), console (spans printed on stdout, for trying it out) or none (off)',
  OTEL_SERVICE_NAME: "tracing: service.name of the spans (default the process's name: gateway, partners, cases, referrals)",
  OTEL_TRACES_SAMPLER_ARG: 'tracing: share of traces recorded, 0 to 1 (default 1: every trace; the gateway decides, the subgraphs follow)',
} as const;

export type EnvName = keyof typeof ENV;

/** One wrong or missing setting: the variable, what is wrong, what is expected. */
export interface ConfigProblem {
  name: string;
  problem: string;
}

/** All problems of a process's configuration at once, so that one start attempt tells the operator everything. */
export class ConfigurationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}; see the ENV registry in packages/common/src/config.ts and docs/operations.md):\n` +
        problems.map((p) => `  - ${p.name}: ${p.problem}`).join('\n'),
    );
    this.name = 'ConfigurationError';
  }
}

/** Settings whose values never appear in an error message (passwords in URLs, secrets). */
const SECRET_SETTINGS = new Set<string>(['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'ADMIN_DATABASE_URL', 'TEST_ADMIN_DATABASE_URL', 'GATEWAY_SHARED_SECRET', 'METRICS_TOKEN']);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/**
 * Reads settings from the environment and collects every problem instead of failing at the first one (or at first
 * use). Each reader method returns a usable value (the fallback when the setting is wrong), so a loader reads all
 * of its settings and calls check() once at the end, which throws a ConfigurationError naming each problem.
 */
export class ConfigReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly source: NodeJS.ProcessEnv = process.env) {}

  /** The raw value; unset and empty are the same. */
  raw(name: EnvName): string | undefined {
    const value = this.source[name];
    return value === undefined || value === '' ? undefined : value;
  }

  problem(name: EnvName, problem: string): void {
    if (!this.problems.some((p) => p.name === name && p.problem === problem)) this.problems.push({ name, problem });
  }

  /** The value as quoted in a message, or a placeholder for a secret. */
  shown(name: EnvName): string {
    return SECRET_SETTINGS.has(name) ? '(value not shown)' : `'${this.raw(name)}'`;
  }

  string(name: EnvName, fallback: string): string;
  string(name: EnvName, fallback?: string): string | undefined;
  string(name: EnvName, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  required(name: EnvName, why?: string): string {
    const value = this.raw(name);
    if (value === undefined) this.problem(name, `missing${why ? ` (${why})` : ''}: ${ENV[name]}`);
    return value ?? '';
  }

  int(name: EnvName, fallback: number, options: { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const min = options.min ?? 0;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    const value = Number(raw);
    if (!/^\s*-?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      const range = options.max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
      this.problem(name, `${this.shown(name)} is not ${range}`);
      return fallback;
    }
    return value;
  }

  /** A TCP port; 0 lets the system pick a free one. */
  port(name: EnvName, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || value > 65535) {
      this.problem(name, `${this.shown(name)} is not a port number (1-65535, or 0 for any free port)`);
      return fallback;
    }
    return value;
  }

  number(name: EnvName, fallback: number, options: { min: number; max: number }): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < options.min || value > options.max) {
      this.problem(name, `${this.shown(name)} is not a number from ${options.min} to ${options.max}`);
      return fallback;
    }
    return value;
  }

  bool(name: EnvName, fallback = false): boolean {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (TRUE_WORDS.includes(raw.toLowerCase())) return true;
    if (FALSE_WORDS.includes(raw.toLowerCase())) return false;
    this.problem(name, `${this.shown(name)} is not true or false (also accepted: 1/0, yes/no, on/off)`);
    return fallback;
  }

  oneOf<T extends string>(name: EnvName, values: readonly T[], fallback: T): T;
  oneOf<T extends string>(name: EnvName, values: readonly T[], fallback?: T): T | undefined;
  oneOf<T extends string>(name: EnvName, values: readonly T[], fallback?: T): T | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      this.problem(name, `${this.shown(name)} is not one of ${values.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  /** A URL with one of the given protocols (default http and https). */
  url(name: EnvName, fallback: string, protocols?: string[]): string;
  url(name: EnvName, fallback?: string, protocols?: string[]): string | undefined;
  url(name: EnvName, fallback?: string, protocols: string[] = ['http:', 'https:']): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const expected = protocols.map((p) => `${p}//`).join(' or ');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      this.problem(name, `${this.shown(name)} is not a URL (expected ${expected}...)`);
      return raw;
    }
    if (!protocols.includes(url.protocol) || !url.hostname) {
      this.problem(name, `${this.shown(name)} is not a ${expected} URL`);
    }
    return raw;
  }

  /** A PostgreSQL connection URL (postgres:// or postgresql://). */
  databaseUrl(name: EnvName, options: { required: true; why?: string }): string;
  databaseUrl(name: EnvName, options?: { required?: false }): string | undefined;
  databaseUrl(name: EnvName, options: { required?: boolean; why?: string } = {}): string | undefined {
    const value = options.required ? this.required(name, options.why) : this.raw(name);
    if (this.raw(name) !== undefined) this.url(name, undefined, ['postgres:', 'postgresql:']);
    return value || undefined;
  }

  /**
   * Runs a loader that reads settings on its own (with envInt, requireEnv, or throwing an Error whose message starts
   * with the setting's name) and adds what it throws to the problems instead; returns `fallback` then.
   */
  collect<T>(load: () => T, fallback: T): T {
    try {
      return load();
    } catch (error) {
      if (error instanceof ConfigurationError) {
        for (const p of error.problems) this.problem(p.name as EnvName, p.problem);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        const name = /^([A-Z][A-Z0-9_]+)\b:?\s*(.*)$/s.exec(message);
        if (name && name[1] in ENV) this.problem(name[1] as EnvName, name[2]);
        else this.problems.push({ name: 'configuration', problem: message });
      }
      return fallback;
    }
  }

  /** Throws a ConfigurationError listing every problem found so far. */
  check(): void {
    if (this.problems.length > 0) throw new ConfigurationError(this.problems);
  }
}

/** SHUTDOWN_TIMEOUT_MS: after SIGTERM, requests in flight and background work get this long to finish. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** DB_STATEMENT_TIMEOUT_MS and DB_CONNECT_TIMEOUT_MS. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Settings every process reads: environment, logging, metrics, tracing, shutdown. */
export function readCommonSettings(reader: ConfigReader): { production: boolean; metricsToken?: string; shutdownTimeoutMs: number } {
  const nodeEnv = reader.oneOf('NODE_ENV', ['development', 'test', 'production'] as const);
  reader.oneOf('LOG_LEVEL', LOG_LEVELS);
  const metricsToken = reader.string('METRICS_TOKEN');
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    reader.problem('METRICS_TOKEN', `must be at least 16 characters without white space (e.g. openssl rand -hex 32); it has ${metricsToken.length}`);
  }
  reader.bool('OTEL_TRACING');
  reader.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  reader.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  reader.oneOf('OTEL_TRACES_EXPORTER', ['otlp', 'console', 'none'] as const);
  reader.number('OTEL_TRACES_SAMPLER_ARG', 1, { min: 0, max: 1 });
  const shutdownTimeoutMs = reader.int('SHUTDOWN_TIMEOUT_MS', DEFAULT_SHUTDOWN_TIMEOUT_MS);
  return { production: nodeEnv === 'production', metricsToken, shutdownTimeoutMs };
}

export function env(name: EnvName, fallback?: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** A required setting; throws a ConfigurationError naming it when it is missing. */
export function requireEnv(name: EnvName): string {
  const reader = new ConfigReader();
  const value = reader.required(name);
  reader.check();
  return value;
}

/** A whole number of at least 0; throws a ConfigurationError naming the setting when it is anything else. */
export function envInt(name: EnvName, fallback: number): number {
  const reader = new ConfigReader();
  const value = reader.int(name, fallback);
  reader.check();
  return value;
}

export function envBool(name: EnvName, fallback = false): boolean {
  const raw = env(name);
  if (raw === undefined) return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

export function isProduction(): boolean {
  return env('NODE_ENV') === 'production';
}

/** Root of the repository (packages/common/dist/config.js -> ../../..). */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

export function sharedDataDir(): string {
  return env('SHARED_DATA_DIR') ?? path.resolve(REPOSITORY_ROOT, '..', 'shared', 'data');
}

export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  devKeysDir?: string;
}

/**
 * Token verification: the JWKS of the identity provider (required in production, with the issuer and audience), or
 * development keys. Given a reader, adds its problems there; otherwise throws them at once.
 */
export function loadAuthConfig(reader?: ConfigReader): AuthConfig {
  const r = reader ?? new ConfigReader();
  const config: AuthConfig = {
    issuer: r.string('AUTH_ISSUER', 'integration-graph-dev'),
    audience: r.string('AUTH_AUDIENCE', 'integration-graph'),
    jwksUrl: r.url('AUTH_JWKS_URL'),
    devKeysDir: r.string('AUTH_DEV_KEYS_DIR'),
  };
  if (r.raw('NODE_ENV') === 'production') {
    if (config.devKeysDir) {
      r.problem('AUTH_DEV_KEYS_DIR', 'must not be set in production (development keys); use AUTH_JWKS_URL');
    }
    if (!config.jwksUrl) {
      r.problem('AUTH_JWKS_URL', 'missing in production (NODE_ENV=production): the JWKS URL of your OIDC provider, e.g. https://login.example.org/realms/<realm>/protocol/openid-connect/certs');
    }
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
      if (!r.raw(name)) {
        r.problem(name, "missing in production (NODE_ENV=production needs AUTH_ISSUER and AUTH_AUDIENCE: your provider's token issuer and audience)");
      }
    }
  }
  if (!config.jwksUrl && !config.devKeysDir && r.raw('NODE_ENV') !== 'production') {
    r.problem('AUTH_JWKS_URL', 'no token verification configured: set AUTH_JWKS_URL, or AUTH_DEV_KEYS_DIR in development');
  }
  if (!reader) r.check();
  return config;
}

/** At least this many characters: `openssl rand -hex 32` gives 64. */
export const GATEWAY_SECRET_MIN_LENGTH = 32;

/**
 * The secret shared by the gateway and the subgraphs (GATEWAY_SHARED_SECRET): the gateway sends it with every
 * subgraph request, and a subgraph answers a request without a valid token only when it matches. Required in
 * production; without it (development, tests) a subgraph refuses every request without a valid token (deny by
 * default), and a gateway without it cannot forward public requests.
 */
export function loadGatewaySecret(reader?: ConfigReader): string | undefined {
  const r = reader ?? new ConfigReader();
  const secret = r.raw('GATEWAY_SHARED_SECRET');
  if (secret === undefined) {
    if (r.raw('NODE_ENV') === 'production') {
      r.problem(
        'GATEWAY_SHARED_SECRET',
        `missing: production needs GATEWAY_SHARED_SECRET, the same secret of at least ${GATEWAY_SECRET_MIN_LENGTH} characters ` +
          'for the gateway and every subgraph (e.g. openssl rand -hex 32)',
      );
    }
  } else if (secret.length < GATEWAY_SECRET_MIN_LENGTH || /\s/.test(secret)) {
    r.problem(
      'GATEWAY_SHARED_SECRET',
      `must be at least ${GATEWAY_SECRET_MIN_LENGTH} characters without white space (e.g. openssl rand -hex 32); it has ${secret.length}`,
    );
  }
  if (!reader) r.check();
  return secret;
}

export interface ServiceConfig {
  name: string;
  host: string;
  port: number;
  databaseUrl: string;
  migrationDatabaseUrl?: string;
  seedDemoData: boolean;
  poolSize: number;
  /** DB_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement running longer. */
  statementTimeoutMs: number;
  /** DB_CONNECT_TIMEOUT_MS: a request waiting longer for a connection (new, or free in the pool) fails. Default 5000. */
  connectTimeoutMs?: number;
  /** SHUTDOWN_TIMEOUT_MS: after SIGTERM, how long requests in flight and background work may take. Default 10000. */
  shutdownTimeoutMs?: number;
  auth: AuthConfig;
  /** GATEWAY_SHARED_SECRET: requests without a valid token are answered only when they carry it (none: refused). */
  gatewaySecret?: string;
  production: boolean;
  /** METRICS_TOKEN: when set, GET /metrics needs "Authorization: Bearer <token>". */
  metricsToken?: string;
}

/**
 * Settings that the subgraph's code reads later (at first use), checked here at start so that a wrong value stops
 * the process before it serves anything. Each service adds its own with SubgraphSettings.
 */
export type SubgraphSettings = (reader: ConfigReader) => void;

/** Everything a subgraph process reads, validated at once: all problems in one ConfigurationError. */
export function loadServiceConfig(name: string, defaultPort: number, settings?: SubgraphSettings, source: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const r = new ConfigReader(source);
  const common = readCommonSettings(r);
  const config: ServiceConfig = {
    name,
    host: r.string('HOST', '127.0.0.1'),
    port: r.port('PORT', defaultPort),
    databaseUrl: r.databaseUrl('DATABASE_URL', { required: true }),
    migrationDatabaseUrl: r.databaseUrl('MIGRATION_DATABASE_URL'),
    seedDemoData: r.bool('SEED_DEMO_DATA'),
    poolSize: r.int('DB_POOL_SIZE', 10, { min: 1, max: 1000 }),
    statementTimeoutMs: r.int('DB_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS),
    connectTimeoutMs: r.int('DB_CONNECT_TIMEOUT_MS', DEFAULT_CONNECT_TIMEOUT_MS, { min: 1 }),
    shutdownTimeoutMs: common.shutdownTimeoutMs,
    auth: loadAuthConfig(r),
    gatewaySecret: loadGatewaySecret(r),
    production: common.production,
    metricsToken: common.metricsToken,
  };
  if (config.seedDemoData && !config.migrationDatabaseUrl) {
    r.problem('SEED_DEMO_DATA', 'true needs MIGRATION_DATABASE_URL (seeding runs as the owner role)');
  }
  // Read later by shared code in every subgraph.
  r.int('AUDIT_CHAIN_INTERVAL_MS', 1_000);
  r.int('SUBGRAPH_TIMEOUT_MS', 10_000, { min: 1 });
  r.int('STATS_MIN_CELL_SIZE', 5, { min: 1 });
  settings?.(r);
  r.check();
  return config;
}

/** Under `npm start`, a child process exits by itself if the launcher disappears without stopping it. */
export function exitWithParent(onParentGone: () => void): void {
  const parent = Number(env('PLATFORM_PARENT_PID'));
  if (!parent) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      clearInterval(timer);
      onParentGone();
    }
  }, 1_000);
  timer.unref();
}
