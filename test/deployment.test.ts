import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databasePlan, ENV, testAdminUrl, withCredentials } from '@integration-graph/common';
import { SUBGRAPHS, SUPERGRAPH_FILE } from '@integration-graph/gateway/dist/compose';
import { Client } from 'pg';
import { parse } from 'yaml';

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/postgres/init-app-role.sh) checked against the code
 * they start. No container runs here: the files are parsed and compared with what the processes read. Runs after
 * `npm run build` (the image's entry points are the compiled dist/ files).
 */

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

// ---- docker-compose.yml, as `docker compose` sees it -------------------------------------------------------------

interface Healthcheck {
  test: string | string[];
}
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { target: number; published?: string | number })[];
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};

const SUBGRAPH_NAMES = SUBGRAPHS.map((subgraph) => subgraph.name);
const APP_SERVICES = [...SUBGRAPH_NAMES, 'gateway'];
const dbServiceOf = (subgraph: string) => `${subgraph}-db`;

/** What `docker compose` would get from the operator: only the variables it insists on. */
const OPERATOR_ENV: Record<string, string> = {
  AUTH_JWKS_URL: 'https://login.example.org/realms/ig/protocol/openid-connect/certs',
  AUTH_ISSUER: 'https://login.example.org/realms/ig',
  GATEWAY_SHARED_SECRET: 'a8f5f167f44f4964e6c998dee827110c0123456789abcdef0123456789abcdef',
};

/** Compose interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(value: string, vars: Record<string, string> = OPERATOR_ENV): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name?: string, op?: string, arg = '') => {
    if (match === '$$') return '$';
    const value = vars[name!];
    const missing = op?.startsWith(':') ? !value : value === undefined;
    if (!missing) return value!;
    if (op?.endsWith('?')) throw new Error(`required variable ${name} is not set: ${arg}`);
    return op ? arg : '';
  });
}

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The service's environment as written in the file (mapping or KEY=VALUE list), before interpolation. */
function rawEnvironment(name: string): Record<string, string> {
  const environment = service(name).environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value == null ? '' : String(value)]));
}

function environment(name: string, vars?: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(rawEnvironment(name)).map(([key, value]) => [key, interpolate(value, vars)]));
}

function dependsOn(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([dep, options]) => [dep, options?.condition]));
}

function words(command: string | string[] | undefined): string[] {
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

function volumes(name: string): { source: string; target: string; readOnly: boolean }[] {
  return (service(name).volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source, target: volume.target, readOnly: !!volume.read_only };
    const [source, target, mode = ''] = interpolate(volume).split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

// ---- Dockerfile -------------------------------------------------------------------------------------------------

/** Instructions per stage (continuation lines joined, comments dropped). */
function dockerfileStages(): { name?: string; base: string; instructions: { keyword: string; args: string }[] }[] {
  const lines = read('Dockerfile').replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((line) => line.trim());
  const stages: ReturnType<typeof dockerfileStages> = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [base, as, name] = rest;
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const stages = dockerfileStages();
const runtime = stages.at(-1)!;
const build = stages.find((stage) => stage.name === 'build')!;

/** Paths (relative to the repository) the runtime stage copies from the build stage. */
function copiedIntoRuntime(): string[] {
  return runtime.instructions
    .filter((instruction) => instruction.keyword === 'COPY' && /--from=build\b/.test(instruction.args))
    .flatMap((instruction) => {
      const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      return parts.slice(0, -1).map((source) => path.posix.relative('/app', source));
    });
}

/** ENV of the runtime stage, both `ENV A=1 B=2` and `ENV A 1`. */
function runtimeEnv(): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { keyword, args } of runtime.instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [key, ...value] = args.split(/\s+/);
      result[key] = value.join(' ');
      continue;
    }
    for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
      const [key, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      result[key] = value.replace(/^"|"$/g, '');
    }
  }
  return result;
}

// ---- the tests --------------------------------------------------------------------------------------------------

describe('deployment: docker-compose.yml', () => {
  it('defines the gateway, the three subgraphs and one PostgreSQL with its own volume per subgraph', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...APP_SERVICES, ...SUBGRAPH_NAMES.map(dbServiceOf)]));
    const dataVolumes = SUBGRAPH_NAMES.map((name) => {
      const db = service(dbServiceOf(name));
      expect(db.image).toMatch(/^postgres:16\b/);
      const data = volumes(dbServiceOf(name)).find((volume) => volume.target === '/var/lib/postgresql/data');
      expect(data).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(data!.source);
      return data!.source;
    });
    expect(new Set(dataVolumes).size).toBe(SUBGRAPH_NAMES.length);
  });

  it('sets only environment variables the code reads (the ENV registry)', () => {
    for (const name of APP_SERVICES) {
      const unknown = Object.keys(rawEnvironment(name)).filter((key) => !(key in ENV));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('runs in production mode with the identity provider\'s keys: AUTH_JWKS_URL is required, no development keys', () => {
    expect(runtimeEnv().NODE_ENV).toBe('production');
    const auth = (env: Record<string, string>) => [env.AUTH_JWKS_URL, env.AUTH_ISSUER, env.AUTH_AUDIENCE];
    const gatewayAuth = auth(environment('gateway'));
    for (const name of APP_SERVICES) {
      const env = environment(name);
      expect(env.NODE_ENV ?? 'production').toBe('production');
      expect(env).not.toHaveProperty('AUTH_DEV_KEYS_DIR');
      // The subgraphs verify the forwarded token again: all four must trust the same provider.
      expect(auth(env)).toEqual(gatewayAuth);
      const { AUTH_JWKS_URL: _unset, ...withoutJwks } = OPERATOR_ENV;
      expect(() => interpolate(rawEnvironment(name).AUTH_JWKS_URL, withoutJwks)).toThrow(/AUTH_JWKS_URL/);
    }
    expect(gatewayAuth[0]).toBe(OPERATOR_ENV.AUTH_JWKS_URL);
  });

  it('gives the gateway and every subgraph the same GATEWAY_SHARED_SECRET, required from the operator', () => {
    for (const name of APP_SERVICES) {
      expect(environment(name).GATEWAY_SHARED_SECRET).toBe(OPERATOR_ENV.GATEWAY_SHARED_SECRET);
      const { GATEWAY_SHARED_SECRET: _unset, ...withoutSecret } = OPERATOR_ENV;
      expect(() => interpolate(rawEnvironment(name).GATEWAY_SHARED_SECRET, withoutSecret)).toThrow(/GATEWAY_SHARED_SECRET/);
    }
  });

  it('listens on all interfaces inside the containers, on the ports the gateway expects by default', () => {
    for (const name of APP_SERVICES) {
      expect(environment(name).HOST ?? runtimeEnv().HOST).toBe('0.0.0.0');
    }
    for (const subgraph of SUBGRAPHS) {
      expect(environment(subgraph.name).PORT).toBe(new URL(subgraph.defaultUrl).port);
    }
    expect(environment('gateway').PORT).toBe('4000');
  });

  it.each(SUBGRAPH_NAMES)('connects %s to its own database, as the application role and as the owner', (name) => {
    const env = environment(name);
    const db = environment(dbServiceOf(name));
    const app = new URL(env.DATABASE_URL);
    const owner = new URL(env.MIGRATION_DATABASE_URL);
    for (const url of [app, owner]) {
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe(dbServiceOf(name));
      expect(url.port || '5432').toBe('5432');
      expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
    }
    expect(decodeURIComponent(app.username)).toBe(db.APP_DB_USER);
    expect(decodeURIComponent(app.password)).toBe(db.APP_DB_PASSWORD);
    expect(decodeURIComponent(owner.username)).toBe(db.POSTGRES_USER);
    expect(decodeURIComponent(owner.password)).toBe(db.POSTGRES_PASSWORD);
    expect(db.APP_DB_USER).not.toBe(db.POSTGRES_USER);
    // Named as provisionDatabase() names them for `npm start`, so logs and grants read the same everywhere.
    const plan = databasePlan(db.POSTGRES_DB);
    expect([db.POSTGRES_USER, db.APP_DB_USER]).toEqual([plan.ownerRole, plan.appRole]);
    // Passwords come from the operator; the defaults are for a local trial only.
    for (const key of ['POSTGRES_PASSWORD', 'APP_DB_PASSWORD']) {
      expect(rawEnvironment(dbServiceOf(name))[key]).toMatch(/^\$\{[A-Z0-9_]+:-[^}]+\}$/);
    }
  });

  it('points the gateway at each subgraph\'s service name and the port that service listens on', () => {
    const env = environment('gateway');
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(env[subgraph.urlEnv]);
      expect(url.hostname).toBe(subgraph.name);
      expect(url.port).toBe(environment(subgraph.name).PORT);
      expect(url.pathname).toBe(new URL(subgraph.defaultUrl).pathname);
    }
  });

  it('starts each process only once what it needs is healthy', () => {
    for (const name of SUBGRAPH_NAMES) {
      expect(dependsOn(name)).toEqual({ [dbServiceOf(name)]: 'service_healthy' });
    }
    expect(dependsOn('gateway')).toEqual(Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 'service_healthy'])));
  });

  it('checks every app process on /ready of its own port, and every database with pg_isready', () => {
    for (const name of APP_SERVICES) {
      const test = words(service(name).healthcheck?.test).join(' ');
      expect(test).toContain(`http://127.0.0.1:${environment(name).PORT}/ready`);
    }
    for (const name of SUBGRAPH_NAMES) {
      expect(words(service(dbServiceOf(name)).healthcheck?.test).join(' ')).toContain('pg_isready');
    }
  });

  it('publishes only the gateway, on port 4000', () => {
    const published = (name: string) =>
      (service(name).ports ?? []).map((port) => (typeof port === 'object' ? String(port.target) : String(port).split(':').at(-1)!.split('/')[0]));
    expect(published('gateway')).toEqual(['4000']);
    for (const name of [...SUBGRAPH_NAMES, ...SUBGRAPH_NAMES.map(dbServiceOf)]) expect(published(name)).toEqual([]);
  });

  it('gives partners the shared reference data read-only where SHARED_DATA_DIR points', () => {
    const target = environment('partners').SHARED_DATA_DIR;
    expect(volumes('partners')).toContainEqual(expect.objectContaining({ target, readOnly: true }));
  });
});

describe('deployment: Dockerfile', () => {
  it('builds with npm ci and tsc in a build stage, and runs as a non-root user', () => {
    expect(build).toBeDefined();
    expect(stages.every((stage) => stage.base.startsWith('node:20-bookworm-slim'))).toBe(true);
    const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(runs).toMatch(/\bnpm prune --omit=dev\b/);
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it.each(APP_SERVICES)('ships the compiled entry point that the %s service starts', (name) => {
    const [program, entry] = words(service(name).command);
    expect(program).toBe('node');
    expect(entry).toMatch(/\/dist\/main\.js$/);
    expect(fs.existsSync(path.join(ROOT, entry))).toBe(true); // after `npm run build`
    expect(copiedIntoRuntime()).toContain(path.posix.dirname(entry));
    expect(service(name).build).toBeDefined();
  });

  it('ships what the processes read at runtime: workspace manifests, dependencies and the checked-in schemas', () => {
    const copied = copiedIntoRuntime();
    const workspaces: string[] = JSON.parse(read('package.json')).workspaces;
    for (const workspace of workspaces) expect(copied).toContain(`${workspace}/package.json`);
    expect(copied).toContain('node_modules');
    expect(copied).toContain(path.relative(ROOT, SUPERGRAPH_FILE));
    for (const name of SUBGRAPH_NAMES) expect(copied).toContain(`services/${name}/schema.graphql`);
  });
});

describe('deployment: deploy/postgres/init-app-role.sh', () => {
  const SCRIPT = 'deploy/postgres/init-app-role.sh';

  it('is mounted as an init script of every database', () => {
    for (const name of SUBGRAPH_NAMES) {
      expect(volumes(dbServiceOf(name))).toContainEqual(
        expect.objectContaining({ source: `./${SCRIPT}`, target: expect.stringMatching(/^\/docker-entrypoint-initdb\.d\/.+\.sh$/) }),
      );
    }
  });

  it('creates the role named by APP_DB_USER without superuser or BYPASSRLS, with the owner\'s default privileges', () => {
    const script = read(SCRIPT);
    expect(script).toMatch(/-v app_user="\$APP_DB_USER"/);
    expect(script).toMatch(/CREATE ROLE :"app_user" WITH LOGIN NOSUPERUSER\b.*\bNOBYPASSRLS\b/);
    expect(script).toMatch(/ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user"/);
    expect(script).toMatch(/ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_user"/);
    expect(script).toMatch(/-v owner="\$POSTGRES_USER"/);
  });

  const psql = spawnSync('psql', ['--version']).status === 0;
  (psql ? it : it.skip)('gives the application role what provisionDatabase() gives it, in a real PostgreSQL (needs psql)', async () => {
    // As in the postgres image: the database exists, owned by POSTGRES_USER, a superuser; the script runs as it.
    const suffix = randomBytes(4).toString('hex');
    const database = `deploy_${suffix}`;
    const [owner, app] = [`deploy_${suffix}_owner`, `deploy_${suffix}_app`];
    const [ownerPassword, appPassword] = [randomBytes(12).toString('hex'), "it's a secret"];
    const admin = new Client({ connectionString: testAdminUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE "${owner}" WITH LOGIN SUPERUSER PASSWORD '${ownerPassword}'`);
      await admin.query(`CREATE DATABASE "${database}" OWNER "${owner}"`);
      const server = new URL(testAdminUrl());
      const run = spawnSync('bash', [path.join(ROOT, SCRIPT)], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          PGHOST: server.hostname,
          PGPORT: server.port || '5432',
          PGPASSWORD: ownerPassword,
          POSTGRES_USER: owner,
          POSTGRES_DB: database,
          APP_DB_USER: app,
          APP_DB_PASSWORD: appPassword,
        },
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });

      const ownerClient = new Client({ connectionString: withCredentials(testAdminUrl(), owner, ownerPassword, database) });
      const appClient = new Client({ connectionString: withCredentials(testAdminUrl(), app, appPassword, database) });
      await ownerClient.connect();
      await appClient.connect(); // LOGIN, CONNECT and the password (quotes included) work
      try {
        const { rows } = await appClient.query('SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user');
        expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false }]);
        // What the owner creates later (migrations), the application role may use, sequences included ...
        await ownerClient.query('CREATE TABLE probe (id serial PRIMARY KEY, note text)');
        await appClient.query("INSERT INTO probe (note) VALUES ('from the app role')");
        expect((await appClient.query('SELECT note FROM probe')).rows).toEqual([{ note: 'from the app role' }]);
        // ... but it cannot create objects, and row-level security applies to it.
        await expect(appClient.query('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied/);
        await ownerClient.query('ALTER TABLE probe ENABLE ROW LEVEL SECURITY');
        await ownerClient.query('ALTER TABLE probe FORCE ROW LEVEL SECURITY');
        expect((await appClient.query('SELECT note FROM probe')).rows).toEqual([]);
      } finally {
        await appClient.end();
        await ownerClient.end();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS "${app}"`);
      await admin.query(`DROP ROLE IF EXISTS "${owner}"`);
      await admin.end();
    }
  });
});
