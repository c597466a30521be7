import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { previousPeriods, tertialOf } from '@integration-graph/common';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CASES_PER_DISTRICT, DistrictSource, MAX_SCALE, TableBatch } from './batch';
import { SeedDistrict, SeedUser } from './generate';
import { ReferralTarget } from './people';
import { KEPT_TABLES, Service, SERVICES, TABLES, TAXONOMY_TABLE } from './tables';
import { dayString } from './time';

/** The defaults: the same seed, scale and day give byte-identical data (docs/benchmarks.md). */
export const SEED_SCALE_DEFAULTS = { seed: 8, asOf: '2026-11-23', casesPerDistrict: CASES_PER_DISTRICT } as const;

/** The state has 44 districts; synthetic ones use the non-existent Regierungsbezirk 9 (AGS 089NN), so at most 99. */
export { MAX_SCALE };

export interface SeedScaleOptions {
  /** 1 = one district like the Ortenaukreis; N adds N - 1 synthetic districts (an integer); 0 < scale < 1 shrinks the one district. */
  scale: number;
  /** Owner-role URLs of the three subgraph databases (migrated; the owner bypasses row-level security). */
  databases: Record<Service, string>;
  seed?: number;
  /** The last day of the generated world ("today"), YYYY-MM-DD; the data covers the three and a half years before it. */
  asOf?: string;
  /** Empty the subgraphs' data tables first; without it, databases that hold any data are refused. */
  replace?: boolean;
  /** Folder with ortenaukreis-municipalities.csv (default: sharedDataDir()). */
  sharedDataDir?: string;
  /** VACUUM (ANALYZE) the loaded tables afterwards (default true): statistics for the planner, visibility map for index-only scans. */
  vacuum?: boolean;
  onProgress?: (event: SeedProgress) => void;
  /** Generate the next district in a worker thread while the previous one loads (default true). */
  worker?: boolean;
}

export interface SeedProgress {
  phase: 'prepare' | 'load' | 'index' | 'commit' | 'vacuum' | 'done';
  service?: Service;
  table?: string;
  /** Rows loaded into the service's database so far, and the expected total (estimated from the districts so far). */
  rows?: number;
  totalRows?: number;
  district?: number;
  districts?: number;
  message?: string;
}

export interface SeedScaleResult {
  scale: number;
  seed: number;
  asOf: string;
  districtCount: number;
  casesPerDistrict: number;
  counts: Record<Service, Record<string, number>>;
  /** generateMs: time spent waiting for generated districts (generation itself runs beside the loading in a worker thread when `threaded`). */
  timings: { generateMs: number; threaded: boolean; loadMs: Record<Service, number>; indexMs: number; commitMs: number; vacuumMs: number; totalMs: number };
  districts: SeedDistrict[];
  /** Reporting periods with data for districtComparison: the current tertial, the last complete one, the year. */
  periods: { current: string; lastComplete: string; previous: string[]; year: string; lastCompleteYear: string };
  /** The partner with the most incoming referrals (the fullest inbox), with its partner staff. */
  busiestInbox: { organizationId: string; name: string; kind: string; incomingReferrals: number; partnerUsers: SeedUser[] };
  /** The caseworker with the largest caseload, and the organisation's case count. */
  caseload: { caseworker: SeedUser; assignedCases: number; organizationCases: number };
  /** The first district's municipality with the most reachable courses (public directory). */
  directory: { ags: string; municipalityId: string; name: string; reachableCourses: number };
  /** Open cases of the caseload caseworker's organisation (for recordConsultation), and cases with consent for a partner (sendReferral). */
  writes: { consultationCaseIds: string[]; referral: ReferralTarget | null };
  /** The same, in the shape the benchmark harness takes (packages/bench/src/harness/subjects.ts BenchSubjects). */
  benchSubjects: SeedBenchSubjects;
}

/** Whom the benchmark acts as, and on what (structurally the harness's BenchSubjects). */
export interface SeedBenchSubjects {
  label: string;
  partner: { userId: string; organizationId: string; roles: string[] };
  caseworker: { userId: string; organizationId: string; roles: string[] };
  coordinator: { userId: string; organizationId: string; roles: string[] };
  districtId: string;
  period: string;
  directory: { ags: string; lang: string };
  consultationCaseIds: string[];
  referral: { caseIds: string[]; partnerOrganizationId: string; lifeArea: string };
}

export class SeedRefusedError extends Error {}

/** The tables of a subgraph database that hold data (everything but the migrations' own and the audit trail). */
export async function dataTables(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  return rows.map((row) => row.name).filter((name) => !KEPT_TABLES.includes(name));
}

async function nonEmptyTables(client: Client, tables: string[]): Promise<string[]> {
  if (!tables.length) return [];
  const { rows } = await client.query<{ name: string }>(
    tables.map((table) => `SELECT '${table}' AS name WHERE EXISTS (SELECT 1 FROM "${table}")`).join(' UNION ALL '),
  );
  return rows.map((row) => row.name);
}

interface DeferredDefinition {
  table: string;
  name: string;
  kind: 'foreign key' | 'key' | 'index';
  definition: string;
}

/**
 * Takes the keys, foreign keys and plain indexes of the tables about to be loaded off them (inside the load's
 * transaction, after TRUNCATE) and returns their definitions, to be put back by restoreDefinitions before COMMIT.
 * What pg_restore does: building an index by sorting and checking a foreign key with one join are much faster than
 * maintaining them row by row (each row's foreign-key check locks its parent row). Nothing is skipped: putting them
 * back checks every row against every key and foreign key, and any violation rolls the whole load back; no other
 * transaction ever sees the tables without them (TRUNCATE holds an exclusive lock until COMMIT). Check and exclusion
 * constraints and triggers stay in place throughout.
 */
async function deferDefinitions(client: Client, tables: string[]): Promise<DeferredDefinition[]> {
  const { rows: constraints } = await client.query<{ table: string; name: string; type: string; definition: string }>(
    `SELECT t.relname AS table, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
      WHERE c.connamespace = 'public'::regnamespace
        AND ((c.contype IN ('p', 'u') AND t.relname = ANY($1)) OR (c.contype = 'f' AND (t.relname = ANY($1) OR r.relname = ANY($1))))
      ORDER BY c.contype, t.relname, c.conname`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT t.relname AS table, x.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
      ORDER BY t.relname, x.relname`,
    [tables],
  );
  const deferred: DeferredDefinition[] = [
    ...constraints.filter((c) => c.type === 'f').map((c) => ({ table: c.table, name: c.name, kind: 'foreign key' as const, definition: c.definition })),
    ...indexes.map((i) => ({ table: i.table, name: i.name, kind: 'index' as const, definition: i.definition })),
    ...constraints.filter((c) => c.type !== 'f').map((c) => ({ table: c.table, name: c.name, kind: 'key' as const, definition: c.definition })),
  ];
  for (const d of deferred) {
    await client.query(d.kind === 'index' ? `DROP INDEX "${d.name}"` : `ALTER TABLE "${d.table}" DROP CONSTRAINT "${d.name}"`);
  }
  return deferred;
}

/** Puts back what deferDefinitions took off: keys first, then indexes, then foreign keys (each checks every row). */
async function restoreDefinitions(client: Client, deferred: DeferredDefinition[], onTable: (what: string) => void): Promise<void> {
  for (const kind of ['key', 'index', 'foreign key'] as const) {
    for (const d of deferred.filter((x) => x.kind === kind)) {
      onTable(`${d.kind} ${d.name}`);
      await client.query(d.kind === 'index' ? d.definition : `ALTER TABLE "${d.table}" ADD CONSTRAINT "${d.name}" ${d.definition}`);
    }
  }
}

async function copyTable(client: Client, rows: TableBatch): Promise<void> {
  if (!rows.count) return;
  // FREEZE: the table was truncated in this transaction, so the rows can be written frozen and all-visible (no
  // hint-bit writes on first read, index-only scans at once). Its constraints and foreign keys are checked as usual.
  const stream = client.query(copyFrom(`COPY "${rows.table}" (${rows.columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FREEZE true)`));
  await pipeline(Readable.from(rows.chunks), stream);
}

/**
 * Generates the data of `scale` districts and bulk-loads it with COPY into the three subgraph databases, as their
 * owner roles, each database in one transaction (all or nothing): the subgraphs' data tables are emptied first (with
 * `replace`; databases holding data are refused otherwise), then every district's rows go in, foreign keys first,
 * then the tables are vacuumed and analysed. Returns the counts and the ids the benchmark needs for its tokens and
 * variables.
 */
export async function seedScale(options: SeedScaleOptions): Promise<SeedScaleResult> {
  const started = Date.now();
  const source = new DistrictSource(
    { seed: options.seed ?? SEED_SCALE_DEFAULTS.seed, scale: options.scale, asOf: options.asOf ?? SEED_SCALE_DEFAULTS.asOf, sharedDataDir: options.sharedDataDir },
    options.worker !== false,
  );
  const ctx = source.context;
  const threaded = source.threaded;
  // Events print readably in a template string too (a caller that takes them as messages).
  const progress = (event: SeedProgress) => {
    Object.defineProperty(event, 'toString', { value: () => describeProgress(event), enumerable: false });
    options.onProgress?.(event);
  };
  const clients = Object.fromEntries(SERVICES.map((service) => [service, new Client({ connectionString: options.databases[service], application_name: 'seed-scale' })])) as Record<
    Service,
    Client
  >;
  const counts = Object.fromEntries(SERVICES.map((service) => [service, {} as Record<string, number>])) as SeedScaleResult['counts'];
  const loadMs = Object.fromEntries(SERVICES.map((service) => [service, 0])) as Record<Service, number>;
  let generateMs = 0;
  let commitMs = 0;
  let indexMs = 0;
  let vacuumMs = 0;
  const loaded = new Set<string>();
  const districts: SeedDistrict[] = [];
  const caseload = new Map<string, number>();
  const openCases = new Map<string, string[]>();
  const referralTargets = new Map<string, Map<string, ReferralTarget>>();
  let inTransaction = false;
  try {
    await Promise.all(SERVICES.map((service) => clients[service].connect()));
    progress({ phase: 'prepare', message: 'checking the databases' });
    const tablesOf = {} as Record<Service, string[]>;
    for (const service of SERVICES) {
      const client = clients[service];
      const tables = await dataTables(client);
      const needed = [...TABLES[service].map((t) => t.table), ...(service === 'partners' ? [TAXONOMY_TABLE.table] : [])];
      const missing = needed.filter((table) => !tables.includes(table));
      if (missing.length) {
        throw new SeedRefusedError(`The ${service} database is not migrated (missing ${missing.join(', ')}): start the platform once, or run the seed:scale command, which migrates`);
      }
      const [{ bypass }] = (await client.query<{ bypass: boolean }>(`SELECT rolbypassrls OR rolsuper AS bypass FROM pg_roles WHERE rolname = current_user`)).rows;
      if (!bypass) throw new SeedRefusedError(`Connect to the ${service} database as its owner role (<db>_owner, BYPASSRLS), not as ${clients[service].user}`);
      const filled = await nonEmptyTables(client, tables);
      if (filled.length && !options.replace) {
        throw new SeedRefusedError(
          `The ${service} database already holds data (${filled.slice(0, 6).join(', ')}${filled.length > 6 ? ', ...' : ''}): use --replace to empty the subgraphs' data tables first`,
        );
      }
      tablesOf[service] = tables;
    }
    for (const service of SERVICES) {
      const client = clients[service];
      await client.query('BEGIN');
      await client.query(`SET LOCAL synchronous_commit = off`);
      await client.query(`SET LOCAL statement_timeout = 0`);
      await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      // Emptied in this transaction (also when they are empty already), so that COPY can write the rows frozen.
      await client.query(`TRUNCATE ${tablesOf[service].map((t) => `"${t}"`).join(', ')}`);
    }
    inTransaction = true;
    const deferred = {} as Record<Service, DeferredDefinition[]>;
    for (const service of SERVICES) {
      const loading = [...TABLES[service].map((t) => t.table), ...(service === 'partners' ? [TAXONOMY_TABLE.table] : [])];
      deferred[service] = await deferDefinitions(clients[service], loading);
    }

    const totals = Object.fromEntries(SERVICES.map((service) => [service, 0])) as Record<Service, number>;
    const done = Object.fromEntries(SERVICES.map((service) => [service, 0])) as Record<Service, number>;
    const load = async (service: Service, tables: TableBatch[], district: number) => {
      const t0 = Date.now();
      for (const rows of tables) {
        await copyTable(clients[service], rows);
        counts[service][rows.table] = (counts[service][rows.table] ?? 0) + rows.count;
        if (rows.count) loaded.add(`${service}:${rows.table}`);
        done[service] += rows.count;
        progress({ phase: 'load', service, table: rows.table, rows: done[service], totalRows: Math.max(totals[service], done[service]), district, districts: ctx.districtCount });
      }
      loadMs[service] += Date.now() - t0;
    };

    source.request(0);
    for (let index = 0; index < ctx.districtCount; index++) {
      const t0 = Date.now();
      const district = await source.take(index);
      generateMs += Date.now() - t0;
      districts.push(district.summary);
      for (const [user, n] of district.caseload) caseload.set(user, n);
      for (const [owner, ids] of district.openCases) openCases.set(owner, ids);
      for (const [owner, targets] of district.referralTargets) referralTargets.set(owner, targets);
      for (const service of SERVICES) {
        const generated = district.tables[service].reduce((sum, t) => sum + t.count, 0);
        totals[service] = Math.round(((done[service] + generated) / (index + 1)) * ctx.districtCount);
      }
      await Promise.all(SERVICES.map((service) => load(service, district.tables[service], index)));
    }

    // One entry per database in the audit trail: who loaded what, when (chained by the services like any other).
    for (const service of SERVICES) {
      await clients[service].query(
        `INSERT INTO audit_entries (service, action, operation, actor_user_id, purpose, entity_type, fields)
         VALUES ($1, 'system', 'seedScale', 'seed-scale', $2, 'GeneratedData', $3)`,
        [
          service,
          `Fiktive Testdaten geladen (npm run seed:scale): scale ${ctx.scale}, seed ${ctx.seed}, Stand ${dayString(ctx.asOfDay)}${options.replace ? ', vorherige Daten ersetzt' : ''}`,
          Object.keys(counts[service]),
        ],
      );
    }
    const i0 = Date.now();
    await Promise.all(
      SERVICES.map((service) => restoreDefinitions(clients[service], deferred[service], (what) => progress({ phase: 'index', service, table: what }))),
    );
    indexMs = Date.now() - i0;
    progress({ phase: 'commit', message: 'committing' });
    const c0 = Date.now();
    for (const service of SERVICES) await clients[service].query('COMMIT');
    inTransaction = false;
    commitMs = Date.now() - c0;

    if (options.vacuum !== false) {
      const v0 = Date.now();
      await Promise.all(
        SERVICES.map(async (service) => {
          const tables = [...loaded].filter((key) => key.startsWith(`${service}:`)).map((key) => key.slice(service.length + 1));
          for (const table of tables) {
            progress({ phase: 'vacuum', service, table });
            await clients[service].query(`VACUUM (ANALYZE) "${table}"`);
          }
        }),
      );
      vacuumMs = Date.now() - v0;
    }
  } catch (error) {
    if (inTransaction) await Promise.all(SERVICES.map((service) => clients[service].query('ROLLBACK').catch(() => undefined)));
    throw error;
  } finally {
    await source.close();
    await Promise.all(SERVICES.map((service) => clients[service].end().catch(() => undefined)));
  }

  const asOf = dayString(ctx.asOfDay);
  const current = tertialOf(asOf).label;
  const [lastComplete, ...earlier] = previousPeriods(current, 4).map((p) => p.label);
  // The subjects of the benchmark come from the first district (the Ortenaukreis at every scale).
  const first = districts[0];
  const busiest = first.partners[0];
  const districtProvider = first.providers.find((p) => p.organizationId === first.id) ?? first.providers[0];
  const caseworker = [...districtProvider.caseworkers].sort((a, b) => (caseload.get(b.userId) ?? 0) - (caseload.get(a.userId) ?? 0) || a.userId.localeCompare(b.userId))[0];
  const targets = [...(referralTargets.get(districtProvider.organizationId)?.values() ?? [])]
    .filter((t) => t.partnerOrganizationId !== busiest.organizationId)
    .sort((a, b) => b.caseIds.length - a.caseIds.length || a.partnerOrganizationId.localeCompare(b.partnerOrganizationId));
  const referral = targets[0] ?? null;
  const consultationCaseIds = openCases.get(districtProvider.organizationId) ?? [];
  const principal = (user: SeedUser) => ({ userId: user.userId, organizationId: user.organizationId, roles: user.roles });
  const result: SeedScaleResult = {
    scale: ctx.scale,
    seed: ctx.seed,
    asOf,
    districtCount: ctx.districtCount,
    casesPerDistrict: ctx.casesPerDistrict,
    counts,
    timings: { generateMs, threaded, loadMs, indexMs, commitMs, vacuumMs, totalMs: Date.now() - started },
    districts,
    periods: { current, lastComplete, previous: earlier, year: asOf.slice(0, 4), lastCompleteYear: String(Number(asOf.slice(0, 4)) - 1) },
    busiestInbox: { organizationId: busiest.organizationId, name: busiest.name, kind: busiest.kind, incomingReferrals: busiest.incomingReferrals, partnerUsers: busiest.partnerUsers },
    caseload: { caseworker, assignedCases: caseload.get(caseworker.userId) ?? 0, organizationCases: districtProvider.cases },
    directory: first.directory,
    writes: { consultationCaseIds, referral },
    benchSubjects: {
      label: `scale ${ctx.scale}`,
      partner: principal(busiest.partnerUsers[0]),
      caseworker: principal(caseworker),
      coordinator: principal(first.coordinator),
      districtId: first.id,
      period: current,
      directory: { ags: first.directory.ags, lang: 'UK' },
      consultationCaseIds,
      referral: referral
        ? { caseIds: referral.caseIds, partnerOrganizationId: referral.partnerOrganizationId, lifeArea: referral.lifeArea.toUpperCase() }
        : { caseIds: [], partnerOrganizationId: busiest.organizationId, lifeArea: 'LANGUAGE' },
    },
  };
  progress({ phase: 'done' });
  return result;
}

/** One line for a progress event ("cases: consultations, district 3/40, 1,234,567 of about 8,800,000 rows"). */
export function describeProgress(event: SeedProgress): string {
  if (event.phase === 'load') {
    return `${event.service}: ${event.table}, district ${(event.district ?? 0) + 1}/${event.districts}, ${event.rows?.toLocaleString('en')} of about ${event.totalRows?.toLocaleString('en')} rows`;
  }
  if (event.phase === 'vacuum') return `${event.service}: VACUUM (ANALYZE) ${event.table}`;
  if (event.phase === 'index') return `${event.service}: checking and indexing: ${event.table}`;
  return event.message ?? event.phase;
}
