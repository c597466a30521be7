import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import {
  createDataSource,
  createLogger,
  DatabasePlan,
  migrate,
  ownerUrl,
  provisionDatabase,
  REPOSITORY_ROOT,
  withDatabase,
} from '@integration-graph/common';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ServiceName } from './stack';

/**
 * A logical backup of one subgraph database, and its restore into a fresh database, without PostgreSQL's client
 * programs (`npm run backup`, `npm run restore`; docs/operations.md, "Backups and restore").
 *
 * pg_dump/pg_restore (custom format) are the tools for production; this exists so that a restore is tested on every
 * machine, CI included, where no pg_dump of the server's version (18) may be installed (pg_dump refuses to dump a
 * newer server). It dumps what pg_dump's data section holds, and takes the schema from the service's own migrations:
 *
 * - **Backup** (as the database's owner role, which bypasses row-level security; `row_security = off` makes a role
 *   that would not see every row fail instead of dumping a part): one REPEATABLE READ READ ONLY transaction, so every
 *   table is from the same snapshot while the service keeps running; every table of the `public` schema in
 *   PostgreSQL's COPY text format (what pg_dump writes into its data section), gzipped, one file per table, with its
 *   row count and SHA-256; the sequences' values; the names of the migrations applied. `manifest.json` is written
 *   last: a folder without it is not a backup.
 * - **Restore** (as a superuser): provisions the database and its two roles (as `npm start` does), applies the
 *   service's migrations as the owner role, up to the ones the backup was made with (a newer version's remaining
 *   migrations then run when the service starts, as after any upgrade), then in one transaction with triggers off
 *   (`session_replication_role = replica`, like `pg_restore --disable-triggers`: the audit trail's insert trigger
 *   would otherwise renumber its entries) empties what the migrations inserted, copies every table back, sets the
 *   sequences, and checks every table's row count and checksum.
 */

export const BACKUP_FORMAT = 'integration-graph/logical-backup';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  service: string;
  database: string;
  createdAt: string;
  serverVersion: string;
  /** The migrations applied to the database, in order (TypeORM's names). */
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number; file: string; sha256: string }[];
  sequences: { name: string; lastValue: string | null }[];
}

const MANIFEST = 'manifest.json';

/** Counts rows (lines of the COPY text format: a line break inside a value is written as \n) and hashes the bytes. */
class CopyCounter extends Transform {
  rows = 0;
  readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.rows++;
    done(null, chunk);
  }
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'integration-graph-backup' });
  await client.connect();
  return client;
}

/** Tables of the public schema but TypeORM's migrations table (the restore's migrations write it), by name. */
async function tablesOf(client: Client): Promise<{ name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations'
      GROUP BY c.relname
      ORDER BY c.relname`,
  );
  return rows;
}

export interface BackupOptions {
  /** The database as its owner role (or a superuser). */
  url: string;
  service: string;
  /** A folder, created; it must not hold a backup already. */
  dir: string;
  onProgress?: (message: string) => void;
}

/** Dumps one subgraph database into `dir` (see above). */
export async function backupDatabase(options: BackupOptions): Promise<BackupManifest> {
  const progress = options.onProgress ?? (() => undefined);
  if (fs.existsSync(path.join(options.dir, MANIFEST))) throw new Error(`${options.dir} already holds a backup (${MANIFEST}); give a new folder`);
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const client = await connect(options.url);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Fail rather than dump only the rows a policy lets this role see.
    await client.query('SET LOCAL row_security = off');
    const [{ database, server_version: serverVersion }] = (await client.query(`SELECT current_database() AS database, current_setting('server_version') AS server_version`)).rows;
    const migrations = (await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`)).rows.map((row) => row.name);
    const tables: BackupManifest['tables'] = [];
    for (const table of await tablesOf(client)) {
      const file = `${table.name}.copy.gz`;
      const counter = new CopyCounter();
      const columns = table.columns.map(quote).join(', ');
      await pipeline(
        client.query(copyTo(`COPY public.${quote(table.name)} (${columns}) TO STDOUT`)),
        counter,
        zlib.createGzip(),
        fs.createWriteStream(path.join(options.dir, file), { mode: 0o600 }),
      );
      tables.push({ name: table.name, columns: table.columns, rows: counter.rows, file, sha256: counter.hash.digest('hex') });
      progress(`${table.name}: ${counter.rows} rows`);
    }
    const sequences = (
      await client.query<{ name: string; last_value: string | null }>(
        `SELECT sequencename AS name, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
      )
    ).rows.map((row) => ({ name: row.name, lastValue: row.last_value }));
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: 1,
      service: options.service,
      database,
      createdAt: new Date().toISOString(),
      serverVersion,
      migrations,
      tables,
      sequences,
    };
    fs.writeFileSync(path.join(options.dir, MANIFEST), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return manifest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a complete backup: ${MANIFEST} is missing`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1) throw new Error(`${file} is not a backup of this tool (format ${manifest.format}, version ${manifest.version})`);
  return manifest;
}

type MigrationClass = new () => { name?: string; up(...args: unknown[]): Promise<unknown> };

/**
 * The service's migration classes (from its build, services/<name>/dist/migrations), in the order the backup lists
 * them: the schema the backup's data was written in. A migration the backup lists and this build does not have means
 * the backup comes from a newer version: restore it with that version.
 */
export function migrationsFor(service: ServiceName, names: string[]): MigrationClass[] {
  const dir = path.join(REPOSITORY_ROOT, 'services', service, 'dist', 'migrations');
  if (!fs.existsSync(dir)) throw new Error(`No build of the ${service} service's migrations in ${dir}: run npm run build first`);
  const found = new Map<string, MigrationClass>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const exported of Object.values(require(path.join(dir, file)) as Record<string, unknown>)) {
      if (typeof exported !== 'function' || typeof (exported as { prototype?: { up?: unknown } }).prototype?.up !== 'function') continue;
      const migration = exported as MigrationClass;
      found.set(new migration().name ?? migration.name, migration);
    }
  }
  const missing = names.filter((name) => !found.has(name));
  if (missing.length) throw new Error(`The backup was made with migrations this build of ${service} does not have (${missing.join(', ')}): restore it with the version that made it`);
  return names.map((name) => found.get(name)!);
}

export interface RestoreOptions {
  /** A superuser connection to the server (provisioning, and triggers off while copying). */
  adminUrl: string;
  /** The new database and its roles (databasePlan); the database must not exist yet or be empty. */
  plan: DatabasePlan;
  service: ServiceName;
  dir: string;
  onProgress?: (message: string) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  rows: Record<string, number>;
}

/** Restores a backup into a fresh database (see above); the service can then start on it. */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const progress = options.onProgress ?? (() => undefined);
  const manifest = readManifest(options.dir);
  if (manifest.service !== options.service) throw new Error(`The backup in ${options.dir} is of the ${manifest.service} service, not ${options.service}`);
  const migrations = migrationsFor(options.service, manifest.migrations);

  await provisionDatabase(options.adminUrl, options.plan);
  const databaseUrl = withDatabase(options.adminUrl, options.plan.database);
  const admin = await connect(databaseUrl);
  try {
    const [{ count }] = (await admin.query(`SELECT count(*)::int AS count FROM pg_tables WHERE schemaname = 'public'`)).rows;
    if (count > 0) throw new Error(`The database ${options.plan.database} is not empty (${count} tables): restore into a fresh database`);
  } catch (error) {
    await admin.end();
    throw error;
  }

  try {
    // The schema: the service's migrations as the owner role, as the service itself applies them.
    progress(`applying ${migrations.length} migrations of ${options.service} as ${options.plan.ownerRole}`);
    const owner = createDataSource({ url: ownerUrl(options.adminUrl, options.plan), applicationName: 'integration-graph-restore', entities: [], migrations, poolSize: 1 });
    await owner.initialize();
    try {
      await migrate(owner, createLogger('restore'));
    } finally {
      await owner.destroy();
    }

    const tables = new Set((await tablesOf(admin)).map((table) => table.name));
    const unknown = manifest.tables.filter((table) => !tables.has(table.name)).map((table) => table.name);
    if (unknown.length) throw new Error(`Tables of the backup that the migrations did not create: ${unknown.join(', ')}`);

    // The data: one transaction, triggers (the audit trail's, foreign keys') off as pg_restore --disable-triggers does.
    await admin.query('BEGIN');
    await admin.query('SET LOCAL session_replication_role = replica');
    await admin.query(`TRUNCATE ${manifest.tables.map((table) => `public.${quote(table.name)}`).join(', ')}`);
    const rows: Record<string, number> = {};
    for (const table of manifest.tables) {
      const counter = new CopyCounter();
      const columns = table.columns.map(quote).join(', ');
      await pipeline(
        fs.createReadStream(path.join(options.dir, table.file)),
        zlib.createGunzip(),
        counter,
        admin.query(copyFrom(`COPY public.${quote(table.name)} (${columns}) FROM STDIN`)),
      );
      const sha256 = counter.hash.digest('hex');
      if (sha256 !== table.sha256) throw new Error(`${table.file} does not match its checksum in the manifest: the backup is damaged`);
      const [{ count }] = (await admin.query(`SELECT count(*)::int AS count FROM public.${quote(table.name)}`)).rows;
      if (count !== table.rows) throw new Error(`${table.name}: ${count} rows restored, the backup has ${table.rows}`);
      rows[table.name] = count;
      progress(`${table.name}: ${count} rows`);
    }
    for (const sequence of manifest.sequences) {
      const name = `public.${quote(sequence.name)}`;
      if (sequence.lastValue === null) await admin.query(`SELECT setval($1::regclass, (SELECT min_value FROM pg_sequences WHERE schemaname = 'public' AND sequencename = $2), false)`, [name, sequence.name]);
      else await admin.query(`SELECT setval($1::regclass, $2::bigint, true)`, [name, sequence.lastValue]);
    }
    await admin.query('COMMIT');
    await admin.query('ANALYZE');
    return { manifest, rows };
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await admin.end();
  }
}
