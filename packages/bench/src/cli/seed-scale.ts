import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  databasePlan,
  embeddedClusterDir,
  env,
  envInt,
  ownerUrl,
  REPOSITORY_ROOT,
  RunningPostgres,
  startEmbeddedPostgres,
  todayInGermany,
} from '@integration-graph/common';
import { DEFAULT_PORTS, launchPlatform, SERVICES } from '@integration-graph/platform';
import { MultiBar, Presets, SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { dataTables, SEED_SCALE_DEFAULTS, seedScale, SeedProgress, SeedRefusedError, SeedScaleResult } from '../seed';

const USAGE = `Generates fictional data at state scale and bulk-loads it into the three subgraph databases (docs/benchmarks.md).

  npm run seed:scale -- --scale 1                 one district like the Ortenaukreis (5,000 cases, 20,000 referrals,
                                                  60,000 consultations) into the databases of npm start (DATA_DIR)
  npm run seed:scale -- --scale 40 --replace      about the whole state (200,000 cases), replacing what is there

Options:
  --scale N              1 = one district; N adds N - 1 synthetic districts (integer up to 99); 0 < N < 1 shrinks the
                         one district (0.05 = 250 cases)
  --seed S               the PRNG seed (default ${SEED_SCALE_DEFAULTS.seed}); the same seed, scale and --as-of give byte-identical data
  --as-of YYYY-MM-DD     the last day of the generated world (default ${SEED_SCALE_DEFAULTS.asOf}; "today" for today)
  --replace              empty the subgraphs' data tables first (the audit trail and the migrations stay); without it,
                         databases that hold data (demo data included) are refused
  --data-dir DIR         the platform's data folder (default DATA_DIR or .data): its credentials, its embedded
                         PostgreSQL (started for the load when it is not running) or ADMIN_DATABASE_URL's server; the
                         databases are provisioned and migrated first if needed (the platform is started once without
                         demo data and stopped again)
  --database-url S=URL   load into these databases instead, as their owner roles, e.g.
                         --database-url partners=postgres://partners_owner:...@host/partners (all three services)
  --json FILE            where to write the result (counts, timings, the ids the benchmark uses); default
                         <data dir>/seed-scale.json
  --no-vacuum            skip VACUUM (ANALYZE) after the load

Stop npm start before loading into its databases: the load empties and fills the tables in one transaction per
database, which blocks the running services until it commits. Afterwards: npm start (it adds the demo data on top;
the Ortenaukreis's demo users, e.g. npm run token -- --user vhs-partner, then see the generated data).`;

type Targets = Record<(typeof SERVICES)[number], string>;

interface Server {
  adminUrl: string;
  /** Started by this command (stopped again at the end). */
  postgres?: RunningPostgres;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether every service's database exists with its tables (migrated), judged as its owner. */
async function migrated(targets: Targets): Promise<boolean> {
  for (const service of SERVICES) {
    const client = new Client({ connectionString: targets[service], connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      const tables = await dataTables(client);
      if (!tables.includes(service === 'partners' ? 'organizations' : service) || !(await client.query(`SELECT to_regclass('migrations') AS t`)).rows[0].t) return false;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return true;
}

function credentialsOf(dataDir: string): Record<string, { owner: string; app: string }> | null {
  const file = path.join(dataDir, 'credentials.json');
  if (!fs.existsSync(file)) return null;
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { owner: string; app: string }>;
  return SERVICES.every((name) => stored[name]) ? stored : null;
}

function targetsOf(adminUrl: string, credentials: Record<string, { owner: string; app: string }>): Targets {
  return Object.fromEntries(SERVICES.map((name) => [name, ownerUrl(adminUrl, databasePlan(name, credentials[name]))])) as Targets;
}

/**
 * The databases of npm start in `dataDir`, ready to load: the server running (the embedded one started if needed),
 * the databases provisioned and migrated (by starting the platform once without demo data if needed).
 */
async function prepareDataDir(dataDir: string, log: (line: string) => void): Promise<{ targets: Targets; server: Server }> {
  const external = env('ADMIN_DATABASE_URL');
  const port = envInt('EMBEDDED_POSTGRES_PORT', DEFAULT_PORTS.postgres);
  const clusterDir = embeddedClusterDir(path.join(dataDir, 'postgres'));
  const passwordFile = `${clusterDir.replace(/\/+$/, '')}.admin-password`;
  const embeddedAdminUrl = () => `postgres://postgres:${encodeURIComponent(fs.readFileSync(passwordFile, 'utf8').trim())}@127.0.0.1:${port}/postgres`;
  const startEmbedded = async (): Promise<Server> => {
    log(`starting the embedded PostgreSQL on 127.0.0.1:${port} (data in ${clusterDir})`);
    const postgres = await startEmbeddedPostgres({ dataDir: clusterDir, port, persistent: true });
    return { adminUrl: postgres.adminUrl, postgres };
  };

  let server: Server | undefined;
  if (external) server = { adminUrl: external };
  else if (fs.existsSync(passwordFile) && (await canConnect(embeddedAdminUrl()))) {
    log(`PostgreSQL is running on 127.0.0.1:${port} (npm start?): loading into it; its services are blocked until the load commits`);
    server = { adminUrl: embeddedAdminUrl() };
  }
  let credentials = credentialsOf(dataDir);
  if (server && credentials && (await migrated(targetsOf(server.adminUrl, credentials)))) return { targets: targetsOf(server.adminUrl, credentials), server };
  if (server && !server.postgres && !external) {
    throw new Error(`The databases in ${dataDir} are not migrated and PostgreSQL is running (npm start?): stop it and run this command again`);
  }
  if (!server && fs.existsSync(path.join(clusterDir, 'PG_VERSION')) && credentials) {
    server = await startEmbedded();
    if (await migrated(targetsOf(server.adminUrl, credentials))) return { targets: targetsOf(server.adminUrl, credentials), server };
    await server.postgres!.stop();
    server = undefined;
  }
  // Provision and migrate the way npm start does: the platform once, without demo data, then stopped again.
  log('provisioning and migrating the databases: starting the platform once without demo data...');
  const gatewayPort = envInt('GATEWAY_PORT', DEFAULT_PORTS.gateway);
  const platform = await launchPlatform({
    dataDir,
    adminUrl: external,
    ports: { gateway: gatewayPort, partners: gatewayPort + 1, cases: gatewayPort + 2, referrals: gatewayPort + 3, postgres: port },
    seedDemoData: false,
    env: { LOG_LEVEL: 'warn', RETENTION_INTERVAL_MS: '0' },
    onProgress: (message) => log(`  ${message}`),
  });
  await platform.stop();
  log('  migrated; platform stopped');
  credentials = credentialsOf(dataDir);
  if (!credentials) throw new Error(`No credentials in ${dataDir} after provisioning`);
  server = external ? { adminUrl: external } : await startEmbedded();
  return { targets: targetsOf(server.adminUrl, credentials), server };
}

function parseTargets(values: string[]): Targets {
  const targets: Partial<Targets> = {};
  for (const value of values) {
    const match = /^(partners|cases|referrals)=(.+)$/.exec(value);
    if (!match) throw new Error(`--database-url ${value}: expected <service>=<url> with service partners, cases or referrals`);
    targets[match[1] as keyof Targets] = match[2];
  }
  const missing = SERVICES.filter((service) => !targets[service]);
  if (missing.length) throw new Error(`--database-url: give all three services (missing ${missing.join(', ')})`);
  return targets as Targets;
}

/** Progress bars, one per database, with rows per second; plain lines every few seconds when not on a terminal. */
function progressBars(): { onProgress: (event: SeedProgress) => void; stop(): void } {
  const tty = Boolean(process.stderr.isTTY);
  const multi = new MultiBar(
    {
      format: ' {service} [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | {detail}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      noTTYOutput: !tty,
      notTTYSchedule: 5_000,
      barsize: 30,
      fps: 5,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? value.toLocaleString('en') : String(value)),
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, { bar: SingleBar; started: number }>();
  let lastPhase = '';
  return {
    onProgress(event) {
      if (event.phase === 'load' && event.service) {
        let entry = bars.get(event.service);
        if (!entry) {
          entry = { bar: multi.create(event.totalRows ?? 1, 0, { service: event.service.padEnd(9), speed: '0', detail: '' }), started: Date.now() };
          bars.set(event.service, entry);
        }
        const seconds = Math.max(0.001, (Date.now() - entry.started) / 1000);
        entry.bar.setTotal(event.totalRows ?? 1);
        entry.bar.update(event.rows ?? 0, {
          speed: Math.round((event.rows ?? 0) / seconds).toLocaleString('en'),
          detail: `district ${(event.district ?? 0) + 1}/${event.districts}: ${event.table}`,
        });
      } else if (event.phase !== lastPhase) {
        lastPhase = event.phase;
        const detail = { index: 'keys, indexes and foreign keys back (checking every row)', commit: 'committing', vacuum: 'VACUUM (ANALYZE)', done: 'done' }[event.phase as string];
        if (detail) for (const { bar } of bars.values()) bar.update({ detail });
        else if (event.message) multi.log(`${event.message}\n`);
      }
    },
    stop: () => multi.stop(),
  };
}

function summary(result: SeedScaleResult, jsonFile: string): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `Loaded scale ${result.scale} (seed ${result.seed}, as of ${result.asOf}): ${result.districtCount} district(s), ${result.casesPerDistrict.toLocaleString('en')} cases each.`,
    '',
  ];
  for (const [service, tables] of Object.entries(result.counts)) {
    const total = Object.values(tables).reduce((sum, n) => sum + n, 0);
    lines.push(`  ${service}: ${total.toLocaleString('en')} rows`);
    lines.push(`    ${Object.entries(tables).map(([table, n]) => `${table} ${n.toLocaleString('en')}`).join(', ')}`);
  }
  const t = result.timings;
  lines.push(
    '',
    `  time: ${seconds(t.totalMs)} in all; waiting for generation ${seconds(t.generateMs)}, loading ${SERVICES.map((s) => `${s} ${seconds(t.loadMs[s])}`).join(', ')} (in parallel${t.threaded ? ', generation beside them in a worker thread' : ''}), keys and indexes ${seconds(t.indexMs)}, commit ${seconds(t.commitMs)}, VACUUM (ANALYZE) ${seconds(t.vacuumMs)}`,
    '',
    `  district ${result.districts[0].name}: ${result.districts[0].id}; periods ${result.periods.current} (current), ${result.periods.lastComplete}, ${result.periods.year}`,
    `  fullest inbox: ${result.busiestInbox.name} (${result.busiestInbox.incomingReferrals.toLocaleString('en')} referrals), partner user ${result.busiestInbox.partnerUsers[0]?.userId}`,
    `  largest caseload: caseworker ${result.caseload.caseworker.userId}${result.caseload.caseworker.handle ? ` (--user ${result.caseload.caseworker.handle})` : ''} of an organisation with ${result.caseload.organizationCases.toLocaleString('en')} cases`,
    `  directory: ${result.directory.name} (AGS ${result.directory.ags}) reaches ${result.directory.reachableCourses} courses with free seats`,
    `  ids and subjects for the benchmark: ${jsonFile}`,
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      replace: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string', multiple: true },
      json: { type: 'string' },
      'no-vacuum': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.scale) throw new Error(`Give --scale.\n\n${USAGE}`);
  const scale = Number(values.scale);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const asOf = values['as-of'] === 'today' ? todayInGermany() : values['as-of'];
  const log = (line: string) => console.error(`[seed:scale] ${line}`);
  const dataDir = path.resolve(REPOSITORY_ROOT, values['data-dir'] ?? env('DATA_DIR', '.data')!);
  let server: Server | undefined;
  let targets: Targets;
  if (values['database-url']?.length) targets = parseTargets(values['database-url']);
  else ({ targets, server } = await prepareDataDir(dataDir, log));
  const jsonFile = path.resolve(values.json ?? path.join(dataDir, 'seed-scale.json'));
  const bars = progressBars();
  try {
    const result = await seedScale({ scale, seed, asOf, databases: targets, replace: values.replace, vacuum: !values['no-vacuum'], onProgress: bars.onProgress });
    bars.stop();
    fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
    fs.writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(summary(result, jsonFile));
    return 0;
  } catch (error) {
    bars.stop();
    if (error instanceof SeedRefusedError) {
      console.error(`[seed:scale] ${error.message}`);
      return 3;
    }
    throw error;
  } finally {
    await server?.postgres?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[seed:scale] ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
