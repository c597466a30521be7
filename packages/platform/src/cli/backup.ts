import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databasePlan, dropDatabase, embeddedClusterDir, env, ownerUrl, randomPassword, REPOSITORY_ROOT } from '@integration-graph/common';
import { backupDatabase, readManifest, restoreDatabase } from '../backup';
import { DEFAULT_PORTS, SERVICES, ServiceName } from '../stack';

const USAGE = `Logical backup and restore of the subgraph databases, without pg_dump (docs/operations.md, "Backups and restore").

  npm run backup -- --out DIR                         every subgraph database of npm start (DATA_DIR, default .data)
                                                      into DIR/<service>; the platform may keep running
  npm run backup -- --service cases --out DIR         one of them
  npm run backup -- --service cases --database-url postgres://cases_owner:…@host/cases --out DIR
                                                      any database, as its owner role

  npm run restore -- --service cases --from DIR       into a fresh database cases_restored (and its roles) on the server
                                                      of npm start; passwords go to DATA_DIR/credentials.json
  npm run restore -- --service cases --from DIR --database cases --replace
                                                      over npm start's own database (stop the platform first)
  npm run restore -- ... --admin-url postgres://postgres:…@host/postgres
                                                      on another server (a superuser connection)

Each backup folder holds manifest.json and one <table>.copy.gz per table (PostgreSQL's COPY text format).`;

interface Credentials {
  file: string;
  stored: Record<string, { owner: string; app: string }>;
}

function dataDir(): string {
  return path.resolve(REPOSITORY_ROOT, env('DATA_DIR', '.data')!);
}

function loadCredentials(): Credentials {
  const file = path.join(dataDir(), 'credentials.json');
  return { file, stored: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {} };
}

/** The superuser connection of npm start's server: ADMIN_DATABASE_URL, or the embedded server's generated password. */
function localAdminUrl(): string {
  const external = env('ADMIN_DATABASE_URL');
  if (external) return external;
  const secretFile = `${embeddedClusterDir(path.join(dataDir(), 'postgres')).replace(/\/+$/, '')}.admin-password`;
  if (!fs.existsSync(secretFile)) throw new Error(`No embedded PostgreSQL in ${dataDir()} (no ${secretFile}): start the platform once, or give --admin-url`);
  const password = fs.readFileSync(secretFile, 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env('EMBEDDED_POSTGRES_PORT', String(DEFAULT_PORTS.postgres))}/postgres`;
}

function serviceOf(value: string | undefined): ServiceName {
  if (!value || !(SERVICES as readonly string[]).includes(value)) throw new Error(`--service must be one of ${SERVICES.join(', ')}`);
  return value as ServiceName;
}

async function backup(values: Record<string, string | boolean | undefined>): Promise<void> {
  if (typeof values.out !== 'string') throw new Error(`Give --out DIR.\n\n${USAGE}`);
  const out = path.resolve(values.out);
  let targets: { service: ServiceName; url: string; dir: string }[];
  if (typeof values['database-url'] === 'string') {
    targets = [{ service: serviceOf(values.service as string | undefined), url: values['database-url'], dir: out }];
  } else {
    const { stored, file } = loadCredentials();
    const services = values.service ? [serviceOf(values.service as string)] : [...SERVICES];
    const server = env('ADMIN_DATABASE_URL') ?? `postgres://postgres@127.0.0.1:${env('EMBEDDED_POSTGRES_PORT', String(DEFAULT_PORTS.postgres))}/postgres`;
    targets = services.map((service) => {
      if (!stored[service]) throw new Error(`No credentials of ${service} in ${file}: start the platform once, or give --database-url`);
      return { service, url: ownerUrl(server, databasePlan(service, stored[service])), dir: values.service ? out : path.join(out, service) };
    });
  }
  for (const target of targets) {
    const started = Date.now();
    const manifest = await backupDatabase({ url: target.url, service: target.service, dir: target.dir, onProgress: (m) => console.log(`  ${target.service}: ${m}`) });
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    console.log(`${target.service}: ${manifest.tables.length} tables, ${rows} rows, ${manifest.migrations.length} migrations -> ${path.relative(process.cwd(), target.dir) || target.dir} (${Date.now() - started} ms)`);
  }
}

async function restore(values: Record<string, string | boolean | undefined>): Promise<void> {
  if (typeof values.from !== 'string') throw new Error(`Give --from DIR.\n\n${USAGE}`);
  const from = path.resolve(values.from);
  const manifest = readManifest(from);
  const service = serviceOf((values.service as string | undefined) ?? manifest.service);
  const database = typeof values.database === 'string' ? values.database : `${service}_restored`;
  const adminUrl = typeof values['admin-url'] === 'string' ? values['admin-url'] : localAdminUrl();
  const credentials = loadCredentials();
  credentials.stored[database] ??= { owner: randomPassword(), app: randomPassword() };
  fs.mkdirSync(path.dirname(credentials.file), { recursive: true });
  fs.writeFileSync(credentials.file, JSON.stringify(credentials.stored, null, 2), { mode: 0o600 });
  const plan = databasePlan(database, credentials.stored[database]);
  if (values.replace) {
    console.log(`dropping database ${database} and its roles first (--replace)`);
    await dropDatabase(adminUrl, plan);
  }
  const started = Date.now();
  const result = await restoreDatabase({ adminUrl, plan, service, dir: from, onProgress: (m) => console.log(`  ${m}`) });
  const rows = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
  console.log(`${service}: restored ${Object.keys(result.rows).length} tables, ${rows} rows into ${database} (roles ${plan.ownerRole}, ${plan.appRole}; passwords in ${credentials.file}) in ${Date.now() - started} ms`);
  console.log(`Backup of ${manifest.createdAt}. Start the service on it (its migrations run first), then check the audit trail: npm run audit:verify -- --database-url <owner URL>`);
}

async function main(): Promise<void> {
  const command = path.basename(process.argv[1] ?? '', '.js') === 'restore' || process.argv[2] === 'restore' ? 'restore' : 'backup';
  const args = process.argv.slice(2).filter((arg) => arg !== 'restore' && arg !== 'backup');
  const { values } = parseArgs({
    args,
    options: {
      service: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      'database-url': { type: 'string' },
      'admin-url': { type: 'string' },
      database: { type: 'string' },
      replace: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (command === 'restore') await restore(values);
  else await backup(values);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
