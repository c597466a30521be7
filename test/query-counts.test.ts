import { demoId, DEMO_ORGANIZATIONS, OFFENBURG_AGS, ownerUrl } from '@integration-graph/common';
import { CASELOAD_PAGE, PARTNER_INBOX, PUBLIC_DIRECTORY, STANDARDS_COMPARISON, STATE_COMPARISON } from '@integration-graph/bench';
import { Client } from 'pg';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Issue 8: the SQL statements a request costs do not grow with the page size (10 to 500) for the partner inbox, the
 * caseload page and the public directory — every list below the page is loaded in batches (DataLoader, one
 * statement per kind of thing per subgraph), never per item. Counted from the database side (pg_stat_statements,
 * preloaded by the embedded PostgreSQL) over the three subgraph databases, through the gateway, with more rows than
 * the largest page. The benchmark (npm run bench) measures the same operations for time; this test guards the counts.
 */
let platform: TestPlatform;
const owners: Record<string, Client> = {};
let admin: Client;
let databaseIds: number[];
const ROWS = 520;

beforeAll(async () => {
  // No background jobs while counting: the delivery worker, the retention jobs and the audit chainer would add theirs.
  platform = await startTestPlatform({ env: { OUTBOX_POLL_MS: '3600000', RETENTION_INTERVAL_MS: '0', AUDIT_CHAIN_INTERVAL_MS: '0', STATISTICS_PUBLISH_INTERVAL_MS: '0' } });
  admin = new Client({ connectionString: platform.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    await admin.query(`SELECT count(*) FROM pg_stat_statements`);
  } catch (error) {
    throw new Error(`This test counts statements with pg_stat_statements: the PostgreSQL of the tests must preload it (shared_preload_libraries = pg_stat_statements; the embedded one does). ${error}`);
  }
  for (const [service, plan] of Object.entries(platform.databases)) {
    owners[service] = new Client({ connectionString: ownerUrl(platform.adminUrl, plan) });
    await owners[service].connect();
  }
  const { rows } = await admin.query<{ oid: number }>(`SELECT oid FROM pg_database WHERE datname = ANY($1)`, [Object.values(platform.databases).map((plan) => plan.database)]);
  databaseIds = rows.map((row) => row.oid);
  await cloneReferralsToVhs(ROWS);
  await cloneCases(ROWS);
  await cloneCourses(ROWS);
}, 180_000);
afterAll(async () => {
  for (const client of [...Object.values(owners), admin]) await client?.end().catch(() => undefined);
  await platform?.stop();
});

/** Copies of a row with new values for some columns, whatever columns the table has (migrations may add more). */
const copyOf = (table: string, overrides: string) => `(jsonb_populate_record(NULL::${table}, to_jsonb(src) || ${overrides})).*`;

/** The seeded referral from the Ortenaukreis to the VHS, with its history, `count` times (new ids). */
async function cloneReferralsToVhs(count: number): Promise<void> {
  const db = owners.referrals;
  await db.query('BEGIN');
  await db.query(`CREATE TEMP TABLE copies ON COMMIT DROP AS SELECT g, gen_random_uuid() AS id FROM generate_series(1, $1) g`, [count]);
  await db.query(
    `INSERT INTO referrals SELECT ${copyOf('referrals', `jsonb_build_object('id', c.id, 'idempotency_key', NULL, 'sent_at', src.sent_at - make_interval(secs => c.g))`)}
       FROM referrals src, copies c WHERE src.id = $1`,
    [demoId('referral', 'ortenau-2-vhs')],
  );
  await db.query(
    `INSERT INTO referral_events SELECT ${copyOf('referral_events', `jsonb_build_object('id', gen_random_uuid(), 'referral_id', c.id)`)}
       FROM referral_events src, copies c WHERE src.referral_id = $1`,
    [demoId('referral', 'ortenau-2-vhs')],
  );
  await db.query('COMMIT');
}

/** A seeded case of the Ortenaukreis with its client, plan and goals, `count` times (new ids). */
async function cloneCases(count: number): Promise<void> {
  const db = owners.cases;
  const source = demoId('case', 'ortenau-1');
  await db.query('BEGIN');
  await db.query(
    `CREATE TEMP TABLE copies ON COMMIT DROP AS
       SELECT g, gen_random_uuid() AS case_id, gen_random_uuid() AS client_id, gen_random_uuid() AS plan_id FROM generate_series(1, $1) g`,
    [count],
  );
  await db.query(
    `INSERT INTO clients SELECT ${copyOf('clients', `jsonb_build_object('id', c.client_id, 'household_id', NULL, 'given_name', 'Kopie ' || c.g)`)}
       FROM clients src, copies c WHERE src.id = (SELECT client_id FROM cases WHERE id = $1)`,
    [source],
  );
  await db.query(
    `INSERT INTO cases SELECT ${copyOf('cases', `jsonb_build_object('id', c.case_id, 'client_id', c.client_id, 'idempotency_key', NULL)`)}
       FROM cases src, copies c WHERE src.id = $1`,
    [source],
  );
  await db.query(
    `INSERT INTO integration_plans SELECT ${copyOf('integration_plans', `jsonb_build_object('id', c.plan_id, 'case_id', c.case_id)`)}
       FROM integration_plans src, copies c WHERE src.case_id = $1`,
    [source],
  );
  await db.query(
    `INSERT INTO goals SELECT ${copyOf('goals', `jsonb_build_object('id', gen_random_uuid(), 'plan_id', c.plan_id, 'case_id', c.case_id)`)}
       FROM goals src, copies c WHERE src.case_id = $1`,
    [source],
  );
  await db.query('COMMIT');
}

/** An integration course of the VHS reachable from Offenburg, with its texts, `count` times (new ids). */
async function cloneCourses(count: number): Promise<void> {
  const db = owners.partners;
  const source = demoId('offering', 'vhs-ik-allgemein-2027-01');
  await db.query('BEGIN');
  await db.query(`CREATE TEMP TABLE copies ON COMMIT DROP AS SELECT g, gen_random_uuid() AS id FROM generate_series(1, $1) g`, [count]);
  await db.query(`INSERT INTO offerings SELECT ${copyOf('offerings', `jsonb_build_object('id', c.id, 'seats_free', 3)`)} FROM offerings src, copies c WHERE src.id = $1`, [source]);
  for (const table of ['offering_life_areas', 'offering_service_areas']) {
    await db.query(`INSERT INTO ${table} SELECT ${copyOf(table, `jsonb_build_object('offering_id', c.id)`)} FROM ${table} src, copies c WHERE src.offering_id = $1`, [source]);
  }
  await db.query(
    `INSERT INTO translations SELECT ${copyOf('translations', `jsonb_build_object('entity_id', c.id::text)`)}
       FROM translations src, copies c WHERE src.entity_type = 'offering' AND src.entity_id = $1`,
    [source],
  );
  await db.query('COMMIT');
}

/** Statements the three subgraph databases ran (every statement, BEGIN and COMMIT included). */
async function statementsSoFar(): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(`SELECT COALESCE(sum(calls), 0)::text AS n FROM pg_stat_statements WHERE dbid = ANY($1)`, [databaseIds]);
  return Number(rows[0].n);
}

async function statementsFor(query: string, variables: Record<string, unknown>, token: string | undefined, listOf: (data: Record<string, unknown>) => unknown[]): Promise<{ statements: number; items: number }> {
  // Twice: the first request of a shape may prepare or plan differently; count the second.
  await platform.query(query, variables, token);
  const before = await statementsSoFar();
  const answer = await platform.query(query, variables, token);
  const statements = (await statementsSoFar()) - before;
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return { statements, items: listOf(answer.data as Record<string, unknown>).length };
}

const edges = (field: string) => (data: Record<string, unknown>) => (data[field] as { edges: unknown[] }).edges;
const PAGE_SIZES = [10, 100, 500];

describe.each([
  ['the partner inbox', PARTNER_INBOX, 'vhs-partner', {}, 'incomingReferrals'],
  ['the caseload page', CASELOAD_PAGE, 'ortenaukreis-caseworker', {}, 'cases'],
  ['the public directory', PUBLIC_DIRECTORY, null, { ags: OFFENBURG_AGS, lang: 'UK' }, 'offerings'],
] as const)('%s', (_name, query, handle, variables, field) => {
  it('costs the same number of SQL statements for 10, 100 and 500 items a page', async () => {
    const token = handle ? await platform.tokenOf(handle) : undefined;
    const counts: { first: number; statements: number; items: number }[] = [];
    for (const first of PAGE_SIZES) counts.push({ first, ...(await statementsFor(query, { ...variables, first }, token, edges(field))) });
    // The pages are full: the list really is longer than the largest page.
    expect(counts.map((c) => c.items)).toEqual(PAGE_SIZES);
    const [smallest] = counts;
    expect(counts.map((c) => ({ first: c.first, statements: c.statements }))).toEqual(counts.map((c) => ({ first: c.first, statements: smallest.statements })));
    // And a small number: a handful per subgraph.
    expect(smallest.statements).toBeLessThanOrEqual(30);
  });
});

describe('the count itself', () => {
  it('sees the statements of a request (not zero), so that equal counts mean something', async () => {
    const token = await platform.tokenOf('ortenaukreis-caseworker');
    const { statements } = await statementsFor(`{ cases(first: 1) { edges { node { id } } } }`, {}, token, edges('cases'));
    // BEGIN, the request's settings, the page, its count, the audit entries, COMMIT.
    expect(statements).toBeGreaterThanOrEqual(4);
  });
});

/** Calls of each statistics function so far, by function name. */
async function statisticsCalls(): Promise<Record<string, number>> {
  const { rows } = await admin.query<{ fn: string; calls: string }>(
    `SELECT substring(query FROM 'statistics_[a-z_]+') AS fn, sum(calls)::text AS calls FROM pg_stat_statements
      WHERE dbid = ANY($1) AND query ~ 'FROM statistics_[a-z_]+\\(' GROUP BY 1`,
    [databaseIds],
  );
  return Object.fromEntries(rows.map((row) => [row.fn, Number(row.calls)]));
}

describe.each([
  ['of a district', STANDARDS_COMPARISON, { districtId: DEMO_ORGANIZATIONS.ortenaukreis.id, period: '2026-T3' }],
  ['of the whole state', STATE_COMPARISON, { period: '2026-T3' }],
] as const)('the standards comparison %s', (_name, query, variables) => {
  it('computes each statistics function once per request, although the municipalities’ figures and the distribution are separate fetches', async () => {
    const token = await platform.tokenOf('ortenaukreis-coordinator');
    const first = await platform.query(query, variables, token);
    expect(first.errors).toBeUndefined();
    const before = await statisticsCalls();
    const answer = await platform.query(query, variables, token);
    expect(answer.errors).toBeUndefined();
    const after = await statisticsCalls();
    const functions = ['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures', 'statistics_referral_figures', 'statistics_referral_breakdowns'];
    const delta = Object.fromEntries(functions.map((fn) => [fn, (after[fn] ?? 0) - (before[fn] ?? 0)]));
    // The figures the operation selects: case figures, goals, consultations (cases) and referral figures (referrals);
    // no breakdowns are selected.
    expect(delta).toEqual({
      statistics_case_figures: 1,
      statistics_goal_figures: 1,
      statistics_consultation_figures: 1,
      statistics_referral_figures: 1,
      statistics_referral_breakdowns: 0,
    });
  });
});
