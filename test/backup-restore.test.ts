import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import {
  appUrl,
  databasePlan,
  DatabasePlan,
  demoId,
  dropDatabase,
  freePort,
  ownerUrl,
  postGraphQL,
  REPOSITORY_ROOT,
  verifyAuditChain,
  withDatabase,
} from '@integration-graph/common';
import { backupDatabase, BackupManifest, restoreDatabase } from '@integration-graph/platform';
import { Client } from 'pg';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Issue 9, "Operations": a tested restore. A subgraph database of a running platform (cases: clients, plans,
 * consultations, consents, the audit trail) is backed up while the platform runs, restored into a fresh database with
 * its own roles, and the cases subgraph is started on the restored database: the data is all there (every table row
 * by row, the sequences), its migrations run again without applying anything, its audit chain verifies with the same
 * head, it answers the same as the original, and it takes new writes.
 *
 * The dump is the platform's logical backup (`npm run backup`, packages/platform/src/backup.ts: COPY of every table
 * in one snapshot, the schema from the service's migrations), not pg_dump: pg_dump must be at least the server's
 * version (18 here), which a machine or CI need not have. What this proves, and what it does not, is in
 * docs/operations.md, "Backups and restore".
 */

let platform: TestPlatform;
let restoredPlan: DatabasePlan;
let backupDir: string;
let manifest: BackupManifest;
let restoredService: { url: string; lines: string[]; stop(): Promise<void> } | undefined;
let caseworker: string;
const CASE = demoId('case', 'ortenau-1');

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every table's row count and a checksum of its rows (in a stable order), and every sequence's value. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const result: Record<string, string> = {};
    const tables = (await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows;
    for (const { name } of tables) {
      const [row] = (await client.query(`SELECT count(*)::text AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM public."${name}" t`)).rows;
      result[`table ${name}`] = `${row.rows} rows, ${row.md5}`;
    }
    for (const row of (await client.query(`SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public'`)).rows) {
      result[`sequence ${row.sequencename}`] = String(row.last_value);
    }
    return result;
  });
}

/** Chains the audit entries written so far (every subgraph does it every second; here at once). */
async function chainPending(url: string): Promise<void> {
  await withClient(url, async (client) => {
    while ((await client.query(`SELECT audit_chain_pending(10000) AS chained`)).rows[0].chained > 0);
  });
}

async function verifyChain(url: string) {
  return withClient(url, (client) => verifyAuditChain(async (sql, parameters) => (await client.query(sql, parameters)).rows));
}

/** The cases subgraph as its own process on the restored database (migrations run on start, as in production). */
async function startCasesOn(plan: DatabasePlan): Promise<{ url: string; lines: string[]; stop(): Promise<void> }> {
  const port = await freePort();
  const lines: string[] = [];
  const child = spawn(process.execPath, ['services/cases/dist/main.js'], {
    cwd: REPOSITORY_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: appUrl(platform.adminUrl, plan),
      MIGRATION_DATABASE_URL: ownerUrl(platform.adminUrl, plan),
      SEED_DEMO_DATA: 'false',
      AUTH_DEV_KEYS_DIR: platform.devKeysDir,
      GATEWAY_SHARED_SECRET: platform.gatewaySecret,
      PARTNERS_URL: platform.subgraphUrls.partners,
      PLATFORM_PARENT_PID: String(process.pid),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (child.exitCode !== null) throw new Error(`cases exited on the restored database:\n${lines.join('\n')}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
    if (ready?.ok) return { url: `http://127.0.0.1:${port}/graphql`, lines, stop };
  }
  await stop();
  throw new Error(`cases was not ready on the restored database within 90 s:\n${lines.join('\n')}`);
}

const CASE_QUERY = `query($id: ID!) {
  cases(first: 100) { totalCount edges { node { id status version } } }
  case(id: $id) { id status version client { givenName familyName dateOfBirth } plan { id version goals { lifeArea description } }
    consultations(first: 100) { totalCount edges { node { id occurredAt note } } } consents { id kind isValid } }
}`;

beforeAll(async () => {
  platform = await startTestPlatform();
  caseworker = await platform.tokenOf('ortenaukreis-caseworker');
  // Data beyond the seed, written through the gateway: a consultation, and reads recorded in the audit trail.
  const written = await platform.query(
    `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }`,
    { input: { caseId: CASE, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), durationMinutes: 30, mode: 'OFFICE', lifeAreas: ['LANGUAGE'], note: 'Vor dem Backup: "Zeile 1"\nZeile 2\t\\ Ende', idempotencyKey: `backup-test-${randomBytes(4).toString('hex')}` } },
    caseworker,
  );
  expect(written.errors).toBeUndefined();
  expect((await platform.query(CASE_QUERY, { id: CASE }, caseworker)).errors).toBeUndefined();
  backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-backup-'));
  restoredPlan = databasePlan(`restored_${randomBytes(3).toString('hex')}_cases`);
}, 180_000);

afterAll(async () => {
  await restoredService?.stop();
  if (restoredPlan) await dropDatabase(platform.adminUrl, restoredPlan).catch(() => undefined);
  await platform?.stop();
  if (backupDir) fs.rmSync(backupDir, { recursive: true, force: true });
});

describe('backup of the cases database and restore into a fresh database', () => {
  let original: Record<string, string>;
  let originalChain: Awaited<ReturnType<typeof verifyChain>>;

  it('backs the database up while the platform runs: every table, one snapshot, as the owner role', async () => {
    const owner = ownerUrl(platform.adminUrl, platform.databases.cases);
    await chainPending(owner);
    original = await fingerprint(withDatabase(platform.adminUrl, platform.databases.cases.database));
    originalChain = await verifyChain(owner);
    expect(originalChain).toMatchObject({ ok: true, pending: 0 });

    manifest = await backupDatabase({ url: owner, service: 'cases', dir: backupDir });
    // Nothing changed in the database meanwhile (no request ran; the figures above are the backup's).
    expect(await fingerprint(withDatabase(platform.adminUrl, platform.databases.cases.database))).toEqual(original);

    expect(manifest.migrations.length).toBeGreaterThan(5);
    const tables = Object.keys(original).filter((key) => key.startsWith('table ') && key !== 'table migrations').map((key) => key.slice(6));
    expect(manifest.tables.map((table) => table.name).sort()).toEqual(tables.sort());
    for (const table of manifest.tables) expect(`${table.rows} rows`).toBe(original[`table ${table.name}`].split(',')[0]);
    expect(manifest.tables.find((table) => table.name === 'audit_entries')!.rows).toBe(originalChain.entries);
    expect(manifest.tables.find((table) => table.name === 'consultations')!.rows).toBeGreaterThan(0);
    // A backup folder is a manifest and one gzipped COPY file per table; nothing else.
    expect(fs.readdirSync(backupDir).sort()).toEqual(['manifest.json', ...manifest.tables.map((table) => table.file)].sort());
  });

  it('restores it into a fresh database with its own roles: every row, every sequence, the migrations applied', async () => {
    const result = await restoreDatabase({ adminUrl: platform.adminUrl, plan: restoredPlan, service: 'cases', dir: backupDir });
    expect(Object.keys(result.rows).sort()).toEqual(manifest.tables.map((table) => table.name).sort());
    const restored = await fingerprint(withDatabase(platform.adminUrl, restoredPlan.database));
    // The migrations table is written by the restore's migrations (its ids and times are its own); everything else is equal.
    const withoutMigrations = (fingerprints: Record<string, string>) =>
      Object.fromEntries(Object.entries(fingerprints).filter(([key]) => key !== 'table migrations' && key !== 'sequence migrations_id_seq'));
    expect(withoutMigrations(restored)).toEqual(withoutMigrations(original));
    const migrations = await withClient(ownerUrl(platform.adminUrl, restoredPlan), async (client) => (await client.query(`SELECT name FROM migrations ORDER BY id`)).rows.map((row) => row.name));
    expect(migrations).toEqual(manifest.migrations);
  });

  it('refuses to restore into a database that is not empty', async () => {
    await expect(restoreDatabase({ adminUrl: platform.adminUrl, plan: restoredPlan, service: 'cases', dir: backupDir })).rejects.toThrow(/not empty/);
  });

  it('the audit trail of the restored database verifies, with the same head as the original', async () => {
    const chain = await verifyChain(ownerUrl(platform.adminUrl, restoredPlan));
    expect(chain).toEqual({ ...originalChain, problems: [] });
    expect(chain.ok).toBe(true);
  });

  it('the cases subgraph starts on the restored database (its migrations run and find nothing to do) and answers as the original', async () => {
    restoredService = await startCasesOn(restoredPlan);
    expect(restoredService.lines.some((line) => line.includes('migration applied'))).toBe(false);
    // Row-level security as the application role, the caseworker's token: the same answer from both.
    const fromRestored = await postGraphQL(restoredService.url, CASE_QUERY, { id: CASE }, caseworker);
    const fromOriginal = await postGraphQL(platform.subgraphUrls.cases, CASE_QUERY, { id: CASE }, caseworker);
    expect(fromRestored.errors).toBeUndefined();
    expect(fromRestored.data).toEqual(fromOriginal.data);
    const consultations = (fromRestored.data as { case: { consultations: { edges: { node: { note: string } }[] } } }).case.consultations.edges;
    expect(consultations.map((edge) => edge.node.note)).toContain('Vor dem Backup: "Zeile 1"\nZeile 2\t\\ Ende');
  }, 120_000);

  it('takes new writes (identities and sequences continue after the restored rows) and keeps its audit chain intact', async () => {
    const written = await postGraphQL(
      restoredService!.url,
      `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }`,
      { input: { caseId: CASE, occurredAt: new Date(Date.now() - 1_800_000).toISOString(), durationMinutes: 15, mode: 'PHONE', lifeAreas: ['WORK'], note: 'Nach der Wiederherstellung', idempotencyKey: `restored-${randomBytes(4).toString('hex')}` } },
      caseworker,
    );
    expect(written.errors).toBeUndefined();
    const owner = ownerUrl(platform.adminUrl, restoredPlan);
    await chainPending(owner);
    const chain = await verifyChain(owner);
    expect(chain.ok).toBe(true);
    expect(chain.entries).toBeGreaterThan(originalChain.entries);
    expect(BigInt(chain.head.seq)).toBeGreaterThan(BigInt(originalChain.head.seq));
  });
});

describe('npm run backup / npm run restore (the command line, on the partners database)', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) => run(process.execPath, [path.join(REPOSITORY_ROOT, 'packages/platform/dist/cli/backup.js'), ...args], { env: { ...process.env, DATA_DIR: dataDir } });
  let dataDir: string;
  let plan: DatabasePlan | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integration-graph-restore-cli-'));
  });
  afterAll(async () => {
    if (plan) await dropDatabase(platform.adminUrl, plan).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('backs up one database by URL and restores it into a new database whose passwords it keeps in DATA_DIR', async () => {
    const out = path.join(dataDir, 'partners-backup');
    const backedUp = await cli('--service', 'partners', '--database-url', ownerUrl(platform.adminUrl, platform.databases.partners), '--out', out);
    expect(backedUp.stdout).toMatch(/^partners: \d+ tables, \d+ rows, \d+ migrations -> /m);
    const database = `restored_${randomBytes(3).toString('hex')}_partners`;
    const restored = await cli('restore', '--from', out, '--admin-url', platform.adminUrl, '--database', database);
    expect(restored.stdout).toContain(`into ${database} (roles ${database}_owner, ${database}_app`);
    const credentials = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
    plan = databasePlan(database, credentials[database]);
    const withoutMigrations = (fingerprints: Record<string, string>) =>
      Object.fromEntries(Object.entries(fingerprints).filter(([key]) => key !== 'table migrations' && key !== 'sequence migrations_id_seq'));
    // The platform keeps running meanwhile; the directory's tables do not change without requests (the audit trail only when chained).
    const original = withoutMigrations(await fingerprint(withDatabase(platform.adminUrl, platform.databases.partners.database)));
    const copy = withoutMigrations(await fingerprint(withDatabase(platform.adminUrl, database)));
    for (const key of Object.keys(original).filter((k) => !k.includes('audit'))) expect({ key, value: copy[key] }).toEqual({ key, value: original[key] });
    // The new roles log in with the stored passwords; the application role is subject to row-level security.
    expect(await withClient(appUrl(platform.adminUrl, plan), async (client) => (await client.query(`SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user`)).rows[0].rolbypassrls)).toBe(false);
  }, 120_000);
});
