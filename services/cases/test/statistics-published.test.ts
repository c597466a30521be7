import { randomUUID } from 'node:crypto';
import {
  createDataSource,
  createLogger,
  publishAllStatistics,
  publishedPeriods,
  Role,
  roleToken,
  startStatisticsPublication,
  startTestSubgraph,
  TestSubgraph,
} from '@integration-graph/common';
import { DataSource } from 'typeorm';
import { casesSubgraph } from '../src/subgraph';

/*
 * Published figures (issue 8, migration 1765000000000): the job publishes every municipality's and provider's figures
 * of the current periods with the live functions; a large batch (STATISTICS_PUBLISHED_MIN_GROUPS, 3 here) reads
 * them while the publication is fresh, a small one is always live.
 */

let cases: TestSubgraph;
let dataSource: DataSource;
const logger = createLogger('cases-test');

const P1 = randomUUID();
const P2 = randomUUID();
const [M1, M2, M3, M4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const CURRENT = publishedPeriods()[0].label;
const FUNCTIONS = ['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures'];

async function addCases(n: number, municipality: string, provider: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [client] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO clients (owner_organization_id, given_name, family_name, date_of_birth, gender, residence_status, follow_up_accommodation)
       VALUES ($1, 'Vorname', 'Nachname', '1990-01-01', 'female', 'recognised_refugee', 'current') RETURNING id`,
      [provider],
    );
    const [theCase] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO cases (owner_organization_id, status, opened_at, client_id, municipality_id, period_ends_on)
       VALUES ($1, 'active', '2024-01-10T10:00:00Z', $2, $3, '2027-01-10') RETURNING id`,
      [provider, client.id, municipality],
    );
    const [plan] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO integration_plans (owner_organization_id, case_id, next_review_due) VALUES ($1, $2, '2027-01-01') RETURNING id`,
      [provider, theCase.id],
    );
    await cases.ownerQuery(
      `INSERT INTO goals (owner_organization_id, plan_id, case_id, life_area, description, priority, status, created_at)
       VALUES ($1, $2, $3, $4, 'Ziel', 'high', 'open', now() - interval '1 minute')`,
      [provider, plan.id, theCase.id, i % 2 ? 'language' : 'work'],
    );
    await cases.ownerQuery(
      `INSERT INTO consultations (owner_organization_id, case_id, occurred_at, duration_minutes, mode, note, recorded_by)
       VALUES ($1, $2, now() - interval '1 minute', 30, $3, 'Notiz', 'test')`,
      [provider, theCase.id, i % 3 ? 'office' : 'home_visit'],
    );
  }
}

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on MunicipalityStatistics { municipalityId caseMetrics { metric value numerator denominator suppressed } caseBreakdowns { breakdown key count suppressed } }
  ... on ProviderStatistics { providerId caseMetrics { metric value numerator denominator suppressed } caseBreakdowns { breakdown key count suppressed } }
} }`;

const municipalities = (ids: string[], period = CURRENT) => ids.map((municipalityId) => ({ __typename: 'MunicipalityStatistics', municipalityId, period }));

async function entities(representations: object[]): Promise<unknown[]> {
  const result = await cases.graphql<{ _entities: unknown[] }>(ENTITIES, { r: representations }, await roleToken(randomUUID(), Role.Coordinator));
  expect(result.errors).toBeUndefined();
  return result.data!._entities;
}

/** Which statistics functions the request called. */
function called(): { live: number; published: number } {
  const statements = cases.statements.statements;
  return {
    live: statements.filter((s) => FUNCTIONS.some((fn) => s.includes(`FROM ${fn}(`))).length,
    published: statements.filter((s) => s.includes('FROM statistics_published_figures(')).length,
  };
}

/** The rows of a live function as a statistics caller sees them, sorted. */
async function liveRows(fn: string, grouping: string, ids: string[], period: { label: string; start: string; end: string }) {
  const client = await cases.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.roles', 'coordinator', true)`);
    const { rows } = await client.query(
      `SELECT group_id, period, figure, category, n, base, median FROM ${fn}($1, $2::uuid[], $3::text[], $4::date[], $5::date[])`,
      [grouping, ids, ids.map(() => period.label), ids.map(() => period.start), ids.map(() => period.end)],
    );
    await client.query('COMMIT');
    return sortRows(rows);
  } finally {
    await client.end();
  }
}

const sortRows = (rows: Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).sort();

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph);
  dataSource = createDataSource({ url: cases.database.appUrl, applicationName: 'cases-test', entities: [], poolSize: 2 });
  await dataSource.initialize();
  await addCases(6, M1, P1);
  await addCases(5, M2, P2);
  await addCases(3, M3, P1);
  // M4 has no cases.
});
afterAll(async () => {
  setEnv({ STATISTICS_PUBLISHED_MIN_GROUPS: undefined, STATISTICS_PUBLISHED_MAX_AGE_MS: undefined });
  await dataSource?.destroy();
  await cases?.stop();
});

describe('the publication job', () => {
  it('publishes every municipality and provider of the current periods, equal to the live figures', async () => {
    const results = await publishAllStatistics(dataSource, logger);
    expect(results.map((r) => `${r.kind} ${r.period}`)).toEqual(publishedPeriods().flatMap((p) => [`municipality ${p.label}`, `provider ${p.label}`]));
    const publications = await cases.ownerQuery<{ group_kind: string; period: string; row_count: string }>(
      `SELECT group_kind, period, row_count FROM statistics_publications ORDER BY period, group_kind`,
    );
    expect(publications).toHaveLength(8);
    for (const period of publishedPeriods()) {
      for (const [grouping, ids] of [
        ['municipality', [M1, M2, M3]],
        ['provider', [P1, P2]],
      ] as const) {
        for (const fn of FUNCTIONS) {
          const published = await cases.ownerQuery(
            `SELECT group_id, period, figure, category, n, base, median FROM statistics_published_rows WHERE group_kind = $1 AND period = $2 AND function_name = $3`,
            [grouping, period.label, fn],
          );
          expect(sortRows(published)).toEqual(await liveRows(fn, grouping, [...ids], period));
          // Goals and consultations are of today: in the current tertial and year only.
          if (fn === 'statistics_case_figures' || period.label === CURRENT || period.label.length === 4) expect(published.length).toBeGreaterThan(0);
        }
      }
    }
    // Only groups with data.
    const [{ m4 }] = await cases.ownerQuery<{ m4: string }>(`SELECT count(*) AS m4 FROM statistics_published_rows WHERE group_id = $1`, [M4]);
    expect(Number(m4)).toBe(0);
  });

  it('runs shortly after the start on its timer', async () => {
    await cases.ownerQuery(`DELETE FROM statistics_publications`);
    const job = startStatisticsPublication(dataSource, logger, 3_600_000, 10);
    try {
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await cases.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM statistics_publications`);
        if (Number(n) === 8) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await job.stop();
    }
    const [{ n }] = await cases.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM statistics_publications`);
    expect(Number(n)).toBe(8);
  });
});

describe('reading the publication', () => {
  let liveFigures: unknown[];

  beforeAll(async () => {
    await publishAllStatistics(dataSource, logger);
    setEnv({ STATISTICS_PUBLISHED_MIN_GROUPS: '1000' });
    cases.statements.reset();
    liveFigures = await entities(municipalities([M1, M2, M3, M4]));
    expect(called()).toEqual({ live: 3, published: 0 });
    setEnv({ STATISTICS_PUBLISHED_MIN_GROUPS: '3' });
  });
  afterEach(() => setEnv({ STATISTICS_PUBLISHED_MAX_AGE_MS: undefined }));

  it('serves a large batch from the publication, with the same figures and without the live functions', async () => {
    cases.statements.reset();
    expect(await entities(municipalities([M1, M2, M3, M4]))).toEqual(liveFigures);
    expect(called()).toEqual({ live: 0, published: 3 });
  });

  it('computes a small batch live, and a large one once its publication is stale or missing', async () => {
    await addCases(1, M1, P1); // not in the publication
    const large = await entities(municipalities([M1, M2, M3, M4]));
    expect(large).toEqual(liveFigures); // the publication's figures

    cases.statements.reset();
    const [m1] = await entities(municipalities([M1]));
    expect(called()).toEqual({ live: 3, published: 0 });
    expect(m1).not.toEqual(liveFigures[0]);

    setEnv({ STATISTICS_PUBLISHED_MAX_AGE_MS: '1' });
    cases.statements.reset();
    const stale = await entities(municipalities([M1, M2, M3, M4]));
    expect(called()).toEqual({ live: 3, published: 0 });
    expect(stale[0]).toEqual(m1);
    setEnv({ STATISTICS_PUBLISHED_MAX_AGE_MS: undefined });

    cases.statements.reset();
    await entities(municipalities([M1, M2, M3, M4], '2019-T1')); // never published
    expect(called()).toEqual({ live: 3, published: 0 });

    // The next publication has the new case.
    await publishAllStatistics(dataSource, logger);
    cases.statements.reset();
    const republished = await entities(municipalities([M1, M2, M3, M4]));
    expect(called()).toEqual({ live: 0, published: 3 });
    expect(republished[0]).toEqual(m1);
  });
});

describe('access', () => {
  it('gives the application role no direct access to the published tables, and only the publisher publishes', async () => {
    const client = await cases.appClient();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.roles', 'coordinator,lead,org_admin', true)`);
      for (const table of ['statistics_published_rows', 'statistics_publications']) {
        await client.query('SAVEPOINT s');
        await expect(client.query(`SELECT * FROM ${table}`)).rejects.toThrow(/permission denied/);
        await client.query('ROLLBACK TO SAVEPOINT s');
      }
      await client.query('SAVEPOINT s');
      await expect(client.query(`SELECT statistics_publish('municipality', $1, '2026-01-01', '2026-05-01')`, [CURRENT])).rejects.toThrow(/statistics publisher/);
      await client.query('ROLLBACK TO SAVEPOINT s');
      await client.query(`SELECT set_config('app.roles', '', true)`);
      await expect(client.query(`SELECT * FROM statistics_published_figures('statistics_case_figures', 'municipality', $1::uuid[], $2::text[])`, [[M1], [CURRENT]])).rejects.toThrow(
        /statistics need/,
      );
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
