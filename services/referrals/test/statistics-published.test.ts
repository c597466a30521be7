import { randomUUID } from 'node:crypto';
import { createDataSource, createLogger, publishAllStatistics, publishedPeriods, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { DataSource } from 'typeorm';
import { referralsSubgraph } from '../src/subgraph';

/*
 * Published figures (issue 8, migration 1765000000000): the job publishes every municipality's and sender's referral
 * figures of the current periods with the live functions; a large batch (STATISTICS_PUBLISHED_MIN_GROUPS, 3 here)
 * reads them while the publication is fresh, a small one is always live.
 */

let referrals: TestSubgraph;
let dataSource: DataSource;
const logger = createLogger('referrals-test');

const [S1, S2] = [randomUUID(), randomUUID()];
const [M1, M2, M3, M4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const RECEIVER = randomUUID();
const CURRENT = publishedPeriods()[0].label;
const FUNCTIONS = ['statistics_referral_figures', 'statistics_referral_breakdowns'];

/** n referrals sent an hour ago (every other one completed a minute ago with a language level). */
async function addReferrals(n: number, municipality: string, sender: string): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({
    case_id: randomUUID(),
    sender,
    municipality,
    status: i % 2 ? 'accepted' : 'completed',
    life_area: i % 3 ? 'language' : 'work',
    outcome: i % 2 ? null : { code: 'level_reached', levelReached: 'B1' },
    closed: i % 2 === 0,
  }));
  await referrals.ownerQuery(
    `INSERT INTO referrals (case_id, sender_organization_id, receiver_organization_id, receiver_kind, municipality_id, status, life_area, reason,
                            sent_at, response_due_at, first_response_at, started_at, closed_at, outcome, consent_id,
                            snapshot, snapshot_scope, snapshot_taken_at, created_at, updated_at)
     SELECT x.case_id, x.sender, $2, 'language_course_provider', x.municipality, x.status, x.life_area, 'Fixture',
            now() - interval '1 hour', now() + interval '14 days', now() - interval '30 minutes', now() - interval '20 minutes',
            CASE WHEN x.closed THEN now() - interval '1 minute' END, x.outcome, gen_random_uuid(),
            NULL, '{}'::text[], now() - interval '1 hour', now() - interval '1 hour', now()
       FROM jsonb_to_recordset($1::jsonb) AS x(case_id uuid, sender uuid, municipality uuid, status text, life_area text, outcome jsonb, closed boolean)`,
    [JSON.stringify(rows), RECEIVER],
  );
}

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on MunicipalityStatistics { municipalityId referralMetrics { metric value numerator denominator suppressed } referralBreakdowns { breakdown key count suppressed } }
} }`;

const municipalities = (ids: string[], period = CURRENT) => ids.map((municipalityId) => ({ __typename: 'MunicipalityStatistics', municipalityId, period }));

async function entities(representations: object[]): Promise<unknown[]> {
  const result = await referrals.graphql<{ _entities: unknown[] }>(ENTITIES, { r: representations }, await roleToken(randomUUID(), Role.Coordinator));
  expect(result.errors).toBeUndefined();
  return result.data!._entities;
}

function called(): { live: number; published: number } {
  const statements = referrals.statements.statements;
  return {
    live: statements.filter((s) => FUNCTIONS.some((fn) => s.includes(`FROM ${fn}(`))).length,
    published: statements.filter((s) => s.includes('FROM statistics_published_figures(')).length,
  };
}

const sortRows = (rows: Record<string, unknown>[]) => rows.map((row) => JSON.stringify(row)).sort();

async function liveRows(fn: string, kind: string, ids: string[], period: { label: string; start: string; end: string }) {
  const client = await referrals.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.roles', 'coordinator', true)`);
    const { rows } = await client.query(
      `SELECT group_kind, group_id, period, figure, category, n, base, median FROM ${fn}($1::text[], $2::uuid[], $3::text[], $4::date[], $5::date[])`,
      [ids.map(() => kind), ids, ids.map(() => period.label), ids.map(() => period.start), ids.map(() => period.end)],
    );
    await client.query('COMMIT');
    return sortRows(rows);
  } finally {
    await client.end();
  }
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph);
  dataSource = createDataSource({ url: referrals.database.appUrl, applicationName: 'referrals-test', entities: [], poolSize: 2 });
  await dataSource.initialize();
  await addReferrals(8, M1, S1);
  await addReferrals(6, M2, S2);
  await addReferrals(2, M3, S1);
  // M4 has no referrals.
});
afterAll(async () => {
  setEnv({ STATISTICS_PUBLISHED_MIN_GROUPS: undefined, STATISTICS_PUBLISHED_MAX_AGE_MS: undefined });
  await dataSource?.destroy();
  await referrals?.stop();
});

it('publishes every municipality and sender of the current periods, equal to the live figures', async () => {
  const results = await publishAllStatistics(dataSource, logger);
  expect(results).toHaveLength(8);
  for (const period of publishedPeriods()) {
    for (const [kind, ids] of [
      ['municipality', [M1, M2, M3]],
      ['provider', [S1, S2]],
    ] as const) {
      for (const fn of FUNCTIONS) {
        const published = await referrals.ownerQuery(
          `SELECT group_kind, group_id, period, figure, category, n, base, median FROM statistics_published_rows WHERE group_kind = $1 AND period = $2 AND function_name = $3`,
          [kind, period.label, fn],
        );
        expect(sortRows(published)).toEqual(await liveRows(fn, kind, [...ids], period));
      }
    }
  }
  const [{ m4 }] = await referrals.ownerQuery<{ m4: string }>(`SELECT count(*) AS m4 FROM statistics_published_rows WHERE group_id = $1`, [M4]);
  expect(Number(m4)).toBe(0);
});

it('serves a large batch from a fresh publication, a small batch and a stale or missing publication live', async () => {
  await publishAllStatistics(dataSource, logger);
  setEnv({ STATISTICS_PUBLISHED_MIN_GROUPS: '1000' });
  referrals.statements.reset();
  const live = await entities(municipalities([M1, M2, M3, M4]));
  expect(called()).toEqual({ live: 2, published: 0 });

  setEnv({ STATISTICS_PUBLISHED_MIN_GROUPS: '3' });
  referrals.statements.reset();
  expect(await entities(municipalities([M1, M2, M3, M4]))).toEqual(live);
  expect(called()).toEqual({ live: 0, published: 2 });

  await addReferrals(5, M1, S1); // not in the publication
  expect(await entities(municipalities([M1, M2, M3, M4]))).toEqual(live);
  referrals.statements.reset();
  const [m1] = await entities(municipalities([M1]));
  expect(called()).toEqual({ live: 2, published: 0 });
  expect(m1).not.toEqual(live[0]);

  setEnv({ STATISTICS_PUBLISHED_MAX_AGE_MS: '1' });
  referrals.statements.reset();
  expect((await entities(municipalities([M1, M2, M3, M4])))[0]).toEqual(m1);
  expect(called()).toEqual({ live: 2, published: 0 });
  setEnv({ STATISTICS_PUBLISHED_MAX_AGE_MS: undefined });

  referrals.statements.reset();
  await entities(municipalities([M1, M2, M3, M4], '2019-T1'));
  expect(called()).toEqual({ live: 2, published: 0 });
});

it('gives the application role no direct access to the published tables, and only the publisher publishes', async () => {
  const client = await referrals.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.roles', 'coordinator,lead,org_admin', true)`);
    for (const table of ['statistics_published_rows', 'statistics_publications']) {
      await client.query('SAVEPOINT s');
      await expect(client.query(`SELECT * FROM ${table}`)).rejects.toThrow(/permission denied/);
      await client.query('ROLLBACK TO SAVEPOINT s');
    }
    await expect(client.query(`SELECT statistics_publish('municipality', $1, '2026-01-01', '2026-05-01')`, [CURRENT])).rejects.toThrow(/statistics publisher/);
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
});
