import { ConfigReader, ConfigurationError, envInt, loadServiceConfig, requireEnv } from '../src';

const SECRET = 'a8f5f167f44f4964e6c998dee827110c0123456789abcdef';
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://cases_app:pw@db:5432/cases',
  AUTH_JWKS_URL: 'https://login.example.org/realms/ig/protocol/openid-connect/certs',
  AUTH_ISSUER: 'https://login.example.org/realms/ig',
  AUTH_AUDIENCE: 'integration-graph',
  GATEWAY_SHARED_SECRET: SECRET,
};

/** The problems loadServiceConfig finds in `source`, as "NAME: problem" lines. */
function problems(source: Record<string, string>, settings?: Parameters<typeof loadServiceConfig>[2]): string[] {
  try {
    loadServiceConfig('cases', 4002, settings, source);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems.map((p) => `${p.name}: ${p.problem}`);
  }
}

describe('configuration check at start', () => {
  it('accepts a complete production configuration', () => {
    const config = loadServiceConfig('cases', 4002, undefined, PRODUCTION);
    expect(config).toMatchObject({ port: 4002, production: true, poolSize: 10, gatewaySecret: SECRET, auth: { jwksUrl: PRODUCTION.AUTH_JWKS_URL } });
  });

  it('lists every missing production setting at once', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: missing: /),
      expect.stringMatching(/^AUTH_JWKS_URL: missing in production \(NODE_ENV=production\)/),
      expect.stringMatching(/^AUTH_ISSUER: missing in production/),
      expect.stringMatching(/^AUTH_AUDIENCE: missing in production/),
      expect.stringMatching(/^GATEWAY_SHARED_SECRET: missing: production needs GATEWAY_SHARED_SECRET/),
    ]);
    expect(problems({ ...PRODUCTION, AUTH_DEV_KEYS_DIR: '/keys' })).toEqual([
      'AUTH_DEV_KEYS_DIR: must not be set in production (development keys); use AUTH_JWKS_URL',
    ]);
  });

  it('names each wrong setting, what is wrong and what is expected', () => {
    const found = problems({
      ...PRODUCTION,
      NODE_ENV: 'staging',
      LOG_LEVEL: 'verbose',
      PORT: 'abc',
      DATABASE_URL: 'mysql://cases:pw@db/cases',
      MIGRATION_DATABASE_URL: 'not a url at all',
      SEED_DEMO_DATA: 'maybe',
      DB_POOL_SIZE: '0',
      DB_STATEMENT_TIMEOUT_MS: '-5',
      AUTH_JWKS_URL: 'login.example.org/certs',
      GATEWAY_SHARED_SECRET: 'short',
      METRICS_TOKEN: 'tiny',
      OTEL_TRACING: 'sometimes',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector',
      OTEL_TRACES_EXPORTER: 'jaeger',
      OTEL_TRACES_SAMPLER_ARG: '2',
      AUDIT_CHAIN_INTERVAL_MS: '1.5',
      SUBGRAPH_TIMEOUT_MS: '0',
      STATS_MIN_CELL_SIZE: 'five',
    });
    expect(found).toEqual([
      "NODE_ENV: 'staging' is not one of development, test, production",
      "LOG_LEVEL: 'verbose' is not one of fatal, error, warn, info, debug, trace, silent",
      'METRICS_TOKEN: must be at least 16 characters without white space (e.g. openssl rand -hex 32); it has 4',
      "OTEL_TRACING: 'sometimes' is not true or false (also accepted: 1/0, yes/no, on/off)",
      "OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' is not a http:// or https:// URL",
      "OTEL_TRACES_EXPORTER: 'jaeger' is not one of otlp, console, none",
      "OTEL_TRACES_SAMPLER_ARG: '2' is not a number from 0 to 1",
      "PORT: 'abc' is not a port number (1-65535, or 0 for any free port)",
      'DATABASE_URL: (value not shown) is not a postgres:// or postgresql:// URL',
      'MIGRATION_DATABASE_URL: (value not shown) is not a URL (expected postgres:// or postgresql://...)',
      "SEED_DEMO_DATA: 'maybe' is not true or false (also accepted: 1/0, yes/no, on/off)",
      "DB_POOL_SIZE: '0' is not a whole number from 1 to 1000",
      "DB_STATEMENT_TIMEOUT_MS: '-5' is not a whole number of at least 0",
      "AUTH_JWKS_URL: 'login.example.org/certs' is not a URL (expected http:// or https://...)",
      'GATEWAY_SHARED_SECRET: must be at least 32 characters without white space (e.g. openssl rand -hex 32); it has 5',
      "AUDIT_CHAIN_INTERVAL_MS: '1.5' is not a whole number of at least 0",
      "SUBGRAPH_TIMEOUT_MS: '0' is not a whole number of at least 1",
      "STATS_MIN_CELL_SIZE: 'five' is not a whole number of at least 1",
    ]);
  });

  it('never shows the value of a secret or a database URL', () => {
    const message = (() => {
      try {
        loadServiceConfig('cases', 4002, undefined, { ...PRODUCTION, DATABASE_URL: 'mysql://u:hunter2-password@db/x', GATEWAY_SHARED_SECRET: 'hunter2 hunter2 hunter2 hunter2 hunter2' });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('DATABASE_URL: (value not shown)');
    expect(message).toContain('GATEWAY_SHARED_SECRET: must be at least 32 characters without white space');
    expect(message).not.toContain('hunter2');
  });

  it('checks the settings of the service itself, and seeding without the owner role', () => {
    const settings = (r: ConfigReader) => {
      r.int('CASE_RETENTION_MONTHS', 36, { min: 1 });
      r.url('PARTNERS_URL');
    };
    expect(problems({ ...PRODUCTION, CASE_RETENTION_MONTHS: '0', PARTNERS_URL: 'partners', SEED_DEMO_DATA: 'true' }, settings)).toEqual([
      'SEED_DEMO_DATA: true needs MIGRATION_DATABASE_URL (seeding runs as the owner role)',
      "CASE_RETENTION_MONTHS: '0' is not a whole number of at least 1",
      "PARTNERS_URL: 'partners' is not a URL (expected http:// or https://...)",
    ]);
  });

  it('formats all problems into one message, one line per setting', () => {
    const error = new ConfigurationError([
      { name: 'PORT', problem: "'abc' is not a port number (1-65535, or 0 for any free port)" },
      { name: 'DATABASE_URL', problem: 'missing' },
    ]);
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(/^Invalid configuration \(2 problems; /),
      "  - PORT: 'abc' is not a port number (1-65535, or 0 for any free port)",
      '  - DATABASE_URL: missing',
    ]);
  });

  it('collects what a loader of its own throws (envInt, requireEnv, or an Error naming the setting)', () => {
    const reader = new ConfigReader({});
    const saved = { ...process.env };
    try {
      process.env.GRAPHQL_MAX_DEPTH = 'deep';
      expect(reader.collect(() => envInt('GRAPHQL_MAX_DEPTH', 15), 15)).toBe(15);
      delete process.env.DATABASE_URL;
      expect(reader.collect(() => requireEnv('DATABASE_URL'), 'fallback')).toBe('fallback');
      expect(reader.collect(() => {
        throw new Error('GRAPHQL_MAX_BODY_BYTES must be at least 1');
      }, 1)).toBe(1);
    } finally {
      process.env = saved;
    }
    expect(reader.problems.map((p) => `${p.name}: ${p.problem}`)).toEqual([
      "GRAPHQL_MAX_DEPTH: 'deep' is not a whole number of at least 0",
      expect.stringMatching(/^DATABASE_URL: missing: /),
      'GRAPHQL_MAX_BODY_BYTES: must be at least 1',
    ]);
    expect(() => reader.check()).toThrow(ConfigurationError);
  });

  it('reads valid values', () => {
    const reader = new ConfigReader({ PORT: '0', OTEL_TRACING: 'ON', DB_POOL_SIZE: ' 20 ', AUTH_JWKS_URL: 'http://keycloak:8080/certs', OTEL_TRACES_SAMPLER_ARG: '0.25' });
    expect(reader.port('PORT', 4000)).toBe(0);
    expect(reader.bool('OTEL_TRACING')).toBe(true);
    expect(reader.int('DB_POOL_SIZE', 10, { min: 1 })).toBe(20);
    expect(reader.url('AUTH_JWKS_URL')).toBe('http://keycloak:8080/certs');
    expect(reader.number('OTEL_TRACES_SAMPLER_ARG', 1, { min: 0, max: 1 })).toBe(0.25);
    expect(reader.int('WEBHOOK_MAX_ATTEMPTS', 10)).toBe(10);
    expect(() => reader.check()).not.toThrow();
  });
});
