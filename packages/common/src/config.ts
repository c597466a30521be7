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
