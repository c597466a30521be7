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
  DB_STATEMENT_TIMEOUT_MS: 'statement timeout in PostgreSQL (default 10000)',
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
  SUBGRAPH_TIMEOUT_MS: 'gateway: timeout for one subgraph request (default 10000)',
  AUDIT_CHAIN_INTERVAL_MS: 'subgraphs: how often the audit entries written since are hash-chained (default 1000; 0 turns it off)',
  GATEWAY_SHARED_SECRET:
    'gateway and every subgraph: the secret (at least 32 characters) the gateway sends in x-gateway-secret; a subgraph answers a request without a valid token only when it matches (required in production; npm start generates one per start)',
} as const;

export type EnvName = keyof typeof ENV;

export function env(name: EnvName, fallback?: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function requireEnv(name: EnvName): string {
  const value = env(name);
  if (value === undefined) {
    throw new Error(`Missing required environment variable ${name}: ${ENV[name]}`);
  }
  return value;
}

export function envInt(name: EnvName, fallback: number): number {
  const raw = env(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`);
  }
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

export function loadAuthConfig(): AuthConfig {
  const config: AuthConfig = {
    issuer: env('AUTH_ISSUER', 'integration-graph-dev')!,
    audience: env('AUTH_AUDIENCE', 'integration-graph')!,
    jwksUrl: env('AUTH_JWKS_URL'),
    devKeysDir: env('AUTH_DEV_KEYS_DIR'),
  };
  if (isProduction()) {
    if (config.devKeysDir) {
      throw new Error('Refusing to start: AUTH_DEV_KEYS_DIR (development keys) is set in production; use AUTH_JWKS_URL');
    }
    if (!config.jwksUrl) {
      throw new Error('Refusing to start: production needs AUTH_JWKS_URL (the JWKS of your OIDC provider)');
    }
    if (!env('AUTH_ISSUER') || !env('AUTH_AUDIENCE')) {
      throw new Error("Refusing to start: production needs AUTH_ISSUER and AUTH_AUDIENCE (your provider's token issuer and audience)");
    }
  }
  if (!config.jwksUrl && !config.devKeysDir) {
    throw new Error('No token verification configured: set AUTH_JWKS_URL, or AUTH_DEV_KEYS_DIR in development');
  }
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
export function loadGatewaySecret(): string | undefined {
  const secret = env('GATEWAY_SHARED_SECRET');
  if (secret === undefined) {
    if (isProduction()) {
      throw new Error(
        'Refusing to start: production needs GATEWAY_SHARED_SECRET, the same secret of at least ' +
          `${GATEWAY_SECRET_MIN_LENGTH} characters for the gateway and every subgraph (e.g. openssl rand -hex 32)`,
      );
    }
    return undefined;
  }
  if (secret.length < GATEWAY_SECRET_MIN_LENGTH || /\s/.test(secret)) {
    throw new Error(
      `GATEWAY_SHARED_SECRET must be at least ${GATEWAY_SECRET_MIN_LENGTH} characters without white space (e.g. openssl rand -hex 32); it has ${secret.length}`,
    );
  }
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
  statementTimeoutMs: number;
  auth: AuthConfig;
  /** GATEWAY_SHARED_SECRET: requests without a valid token are answered only when they carry it (none: refused). */
  gatewaySecret?: string;
  production: boolean;
}

export function loadServiceConfig(name: string, defaultPort: number): ServiceConfig {
  const config: ServiceConfig = {
    name,
    host: env('HOST', '127.0.0.1')!,
    port: envInt('PORT', defaultPort),
    databaseUrl: requireEnv('DATABASE_URL'),
    migrationDatabaseUrl: env('MIGRATION_DATABASE_URL'),
    seedDemoData: envBool('SEED_DEMO_DATA'),
    poolSize: envInt('DB_POOL_SIZE', 10),
    statementTimeoutMs: envInt('DB_STATEMENT_TIMEOUT_MS', 10_000),
    auth: loadAuthConfig(),
    gatewaySecret: loadGatewaySecret(),
    production: isProduction(),
  };
  if (config.seedDemoData && !config.migrationDatabaseUrl) {
    throw new Error('SEED_DEMO_DATA needs MIGRATION_DATABASE_URL (seeding runs as the owner role)');
  }
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
