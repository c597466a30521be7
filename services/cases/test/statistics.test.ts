import { randomUUID } from 'node:crypto';
import { freePort, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';

/*
 * The case figures of the cooperation meetings (issue 6) on a small hand-made fixture, with every expected value
 * computed by hand below. Period under test: 2026-T2 = [2026-05-01, 2026-09-01); its trend periods are 2026-T1 =
 * [2026-01-01, 2026-05-01) and 2025-T3 = [2025-09-01, 2026-01-01). Minimum cell size 5 (the default).
 *
 * Providers P1, P2, P3; municipalities MA, MB, MC, MD. All times at 10:00 UTC (no day boundary in Germany nearby).
 *
 *  cohort  n  municipality provider opened      closed (reason)           plan last reviewed   goals (life area, created, status)
 *  A1     10  MA           P1       2025-10-01  —                         #0-5 2026-06-15,     LANGUAGE 2025-10-11: #0-5 ACHIEVED and #6-7 PARTLY_ACHIEVED
 *                                                                          #6-9 never           on 2026-06-10, #8-9 in progress; plus WORK 2026-06-01 (#0-2),
 *                                                                                               HOUSING 2026-06-02 (#3-9), open
 *  A2      6  MA           P1       2026-05-04  —                         never                LANGUAGE opening + 3, 7, 10, 14, 20, 30 days, open
 *  A3      5  MA           P2       2026-03-10  —                         never                none
 *  A4      5  MA           P1       2023-03-01  2026-06-01 (#0-2 PERIOD_ENDED, #3-4 GOALS_ACHIEVED: 39 months ≥ 36)
 *                                                                         2026-04-01           WORK 2023-03-15: #0-2 NOT_ACHIEVED, #3-4 DROPPED on 2026-05-20
 *  A5      2  MA           P2       2025-11-03  2026-07-01 (MOVED_AWAY, 8 months)
 *                                                                         never                LANGUAGE 2025-11-07 (4 days), open
 *  A6      3  MA           P1       2024-01-10  2025-12-01 (SELF_RELIANT, 22 months)
 *                                                                         2025-08-01           LANGUAGE 2024-01-20, open
 *  B       3  MB           P3       2026-01-15  —                         never                LANGUAGE 2026-01-20 (5 days), open
 *  C       8  MC           P1       2025-12-01  —                         2026-05-15           LANGUAGE 2025-12-08 (7 days), open
 *  (MD has no cases.)
 *
 *  consultations: A1 in T2 12 OFFICE (2026-06-20) + 8 HOME_VISIT (2026-06-21), in T1 10 OFFICE (2026-02-10) + 5 HOME_VISIT
 *  (2026-02-11); A2 3 PHONE (2026-07-01); B 2 HOME_VISIT (2026-06-05); C 6 HOME_VISIT (2026-07-10) + 6 OFFICE (2026-07-11).
 */

let cases: TestSubgraph;

const P1 = 'a1000000-0000-4000-8000-000000000001';
const P2 = 'a1000000-0000-4000-8000-000000000002';
const P3 = 'a1000000-0000-4000-8000-000000000003';
const MA = 'b2000000-0000-4000-8000-00000000000a';
const MB = 'b2000000-0000-4000-8000-00000000000b';
const MC = 'b2000000-0000-4000-8000-00000000000c';
const MD = 'b2000000-0000-4000-8000-00000000000d';
const DISTRICT = 'c3000000-0000-4000-8000-000000000001';
const PERIOD = '2026-T2';

/** Everything personal the fixture holds: none of it may appear in any statistics response. */
const personal: string[] = [];

interface FixtureCase {
  caseId: string;
  planId: string;
  owner: string;
}

async function addCases(
  n: number,
  spec: { municipality: string; provider: string; openedAt: string; closedAt?: string; reasons?: string[]; reviewedOn?: (i: number) => string | null },
): Promise<FixtureCase[]> {
  const created: FixtureCase[] = [];
  for (let i = 0; i < n; i++) {
    const givenName = `Geheimvorname${personal.length}`;
    const [client] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO clients (owner_organization_id, given_name, family_name, date_of_birth, gender, residence_status, follow_up_accommodation, phone, email)
       VALUES ($1, $2, 'Vertraulichname', '1990-01-01', 'female', 'recognised_refugee', 'current', '+49 781 999999', 'geheim@example.org') RETURNING id`,
      [spec.provider, givenName],
    );
    const [theCase] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO cases (owner_organization_id, status, opened_at, client_id, municipality_id, period_ends_on, closed_at, closure_reason)
       VALUES ($1, $2, $3, $4, $5, ($3::timestamptz AT TIME ZONE 'Europe/Berlin')::date + interval '36 months', $6, $7) RETURNING id`,
      [spec.provider, spec.closedAt ? 'closed' : 'active', spec.openedAt, client.id, spec.municipality, spec.closedAt ?? null, spec.closedAt ? spec.reasons![i] : null],
    );
    const [plan] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO integration_plans (owner_organization_id, case_id, last_reviewed_on, next_review_due, strengths) VALUES ($1, $2, $3, '2027-01-01', 'Geheime Stärken') RETURNING id`,
      [spec.provider, theCase.id, spec.reviewedOn?.(i) ?? null],
    );
    personal.push(givenName, client.id, theCase.id, plan.id);
    created.push({ caseId: theCase.id, planId: plan.id, owner: spec.provider });
  }
  return created;
}

async function addGoal(c: FixtureCase, lifeArea: string, createdAt: string, status = 'open', closedOn: string | null = null): Promise<void> {
  const [goal] = await cases.ownerQuery<{ id: string }>(
    `INSERT INTO goals (owner_organization_id, plan_id, case_id, life_area, description, priority, status, closed_on, created_at)
     VALUES ($1, $2, $3, $4, 'Geheimes Ziel', 'high', $5, $6, $7) RETURNING id`,
    [c.owner, c.planId, c.caseId, lifeArea, status, closedOn, createdAt],
  );
  personal.push(goal.id);
}

async function addConsultations(on: FixtureCase[], count: number, mode: string, occurredAt: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const c = on[i % on.length];
    const [row] = await cases.ownerQuery<{ id: string }>(
      `INSERT INTO consultations (owner_organization_id, case_id, occurred_at, duration_minutes, mode, note, recorded_by)
       VALUES ($1, $2, $3, 30, $4, 'Vertrauliche Notiz', 'test-caseworker') RETURNING id`,
      [c.owner, c.caseId, occurredAt, mode],
    );
    personal.push(row.id);
  }
}

const at = (day: string) => `${day}T10:00:00Z`;
const plusDays = (day: string, days: number) => new Date(Date.parse(at(day)) + days * 86_400_000).toISOString();

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph);
  const a1 = await addCases(10, { municipality: MA, provider: P1, openedAt: at('2025-10-01'), reviewedOn: (i) => (i < 6 ? '2026-06-15' : null) });
  for (const [i, c] of a1.entries()) {
    if (i < 6) await addGoal(c, 'language', at('2025-10-11'), 'achieved', '2026-06-10');
    else if (i < 8) await addGoal(c, 'language', at('2025-10-11'), 'partly_achieved', '2026-06-10');
    else await addGoal(c, 'language', at('2025-10-11'), 'in_progress');
    if (i < 3) await addGoal(c, 'work', at('2026-06-01'));
    else await addGoal(c, 'housing', at('2026-06-02'));
  }
  const a2 = await addCases(6, { municipality: MA, provider: P1, openedAt: at('2026-05-04') });
  for (const [i, c] of a2.entries()) await addGoal(c, 'language', plusDays('2026-05-04', [3, 7, 10, 14, 20, 30][i]));
  await addCases(5, { municipality: MA, provider: P2, openedAt: at('2026-03-10') });
  const a4 = await addCases(5, {
    municipality: MA,
    provider: P1,
    openedAt: at('2023-03-01'),
    closedAt: at('2026-06-01'),
    reasons: ['period_ended', 'period_ended', 'period_ended', 'goals_achieved', 'goals_achieved'],
    reviewedOn: () => '2026-04-01',
  });
  for (const [i, c] of a4.entries()) await addGoal(c, 'work', at('2023-03-15'), i < 3 ? 'not_achieved' : 'dropped', '2026-05-20');
  const a5 = await addCases(2, { municipality: MA, provider: P2, openedAt: at('2025-11-03'), closedAt: at('2026-07-01'), reasons: ['moved_away', 'moved_away'] });
  for (const c of a5) await addGoal(c, 'language', at('2025-11-07'));
  const a6 = await addCases(3, {
    municipality: MA,
    provider: P1,
    openedAt: at('2024-01-10'),
    closedAt: at('2025-12-01'),
    reasons: ['self_reliant', 'self_reliant', 'self_reliant'],
    reviewedOn: () => '2025-08-01',
  });
  for (const c of a6) await addGoal(c, 'language', at('2024-01-20'));
  const b = await addCases(3, { municipality: MB, provider: P3, openedAt: at('2026-01-15') });
  for (const c of b) await addGoal(c, 'language', at('2026-01-20'));
  const c8 = await addCases(8, { municipality: MC, provider: P1, openedAt: at('2025-12-01'), reviewedOn: () => '2026-05-15' });
  for (const c of c8) await addGoal(c, 'language', at('2025-12-08'));

  await addConsultations(a1, 12, 'office', at('2026-06-20'));
  await addConsultations(a1, 8, 'home_visit', at('2026-06-21'));
  await addConsultations(a1, 10, 'office', at('2026-02-10'));
  await addConsultations(a1, 5, 'home_visit', at('2026-02-11'));
  await addConsultations(a2, 3, 'phone', at('2026-07-01'));
  await addConsultations(b, 2, 'home_visit', at('2026-06-05'));
  await addConsultations(c8, 6, 'home_visit', at('2026-07-10'));
  await addConsultations(c8, 6, 'office', at('2026-07-11'));
});
afterAll(() => cases?.stop());

type Trend = { period: string; value: number | null; suppressed: boolean };
type Metric = { metric: string; value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean; trend: Trend[] };
type Cell = { breakdown: string; key: string; count: number | null; suppressed: boolean };
type Distribution = { metric: string; median: number | null; lowerQuartile: number | null; upperQuartile: number | null; counted: number };
type Entity = { caseMetrics?: Metric[]; caseBreakdowns?: Cell[]; caseDistribution?: Distribution[]; caseProviderDistribution?: Distribution[] };

const METRIC_FIELDS = 'metric value numerator denominator suppressed trend { period value suppressed }';
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on MunicipalityStatistics { municipalityId period caseMetrics { ${METRIC_FIELDS} } caseBreakdowns { breakdown key count suppressed } }
  ... on ProviderStatistics { providerId period caseMetrics { ${METRIC_FIELDS} } caseBreakdowns { breakdown key count suppressed } }
  ... on DistrictStatistics { districtId period
    caseDistribution { metric median lowerQuartile upperQuartile counted }
    caseProviderDistribution { metric median lowerQuartile upperQuartile counted } }
} }`;

const municipality = (municipalityId: string, period = PERIOD) => ({ __typename: 'MunicipalityStatistics', municipalityId, period });
const provider = (providerId: string, fullTimeEquivalents: number | null, period = PERIOD) => ({ __typename: 'ProviderStatistics', providerId, period, fullTimeEquivalents });
const district = (municipalityIds: string[], providerIds: string[], period = PERIOD) => ({ __typename: 'DistrictStatistics', districtId: DISTRICT, period, municipalityIds, providerIds });

/** Every response body of this file, checked for personal data at the end, and every id asked for. */
const responses: string[] = [];
const asked = new Set<string>();
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

async function entities(representations: object[], token?: string) {
  for (const id of JSON.stringify(representations).match(UUIDS) ?? []) asked.add(id);
  const result = await cases.graphql<{ _entities: Entity[] }>(ENTITIES, { r: representations }, token ?? (await roleToken(randomUUID(), Role.Coordinator)));
  responses.push(JSON.stringify(result));
  return result;
}

async function entitiesOk(representations: object[], token?: string): Promise<Entity[]> {
  const result = await entities(representations, token);
  expect(result.errors).toBeUndefined();
  return result.data!._entities;
}

const T1 = '2026-T1';
const T3 = '2025-T3';
const shown = (value: number | null): Omit<Trend, 'period'> => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };
const trend = (t1: Omit<Trend, 'period'>, t3: Omit<Trend, 'period'>): Trend[] => [
  { period: T1, ...t1 },
  { period: T3, ...t3 },
];
const count = (metric: string, n: number, t: Trend[]): Metric => ({ metric, value: n, numerator: n, denominator: null, suppressed: false, trend: t });
const share = (metric: string, n: number, base: number, t: Trend[]): Metric => ({ metric, value: n / base, numerator: n, denominator: base, suppressed: false, trend: t });
/** Nothing to measure: a share of 0 of 0, a median over no cases. */
const emptyShare = (metric: string, t: Trend[]): Metric => ({ metric, value: null, numerator: 0, denominator: 0, suppressed: false, trend: t });
const emptyMedian = (metric: string, t: Trend[]): Metric => ({ metric, value: null, numerator: 0, denominator: null, suppressed: false, trend: t });
const suppressed = (metric: string, t: Trend[]): Metric => ({ metric, value: null, numerator: null, denominator: null, suppressed: true, trend: t });
const median = (metric: string, days: number, n: number, t: Trend[]): Metric => ({ metric, value: days, numerator: n, denominator: null, suppressed: false, trend: t });

/** The cells of one breakdown as [key, count] ([key, null] = suppressed), in the order of the enum. */
function cells(all: Cell[], breakdown: string): [string, number | null][] {
  const group = all.filter((cell) => cell.breakdown === breakdown);
  for (const cell of group) expect(cell.suppressed).toBe(cell.count === null);
  return group.map((cell) => [cell.key, cell.count]);
}

const LIFE_AREAS = ['LANGUAGE', 'WORK', 'VOCATIONAL_TRAINING', 'STUDY', 'CHILDCARE', 'SCHOOL', 'HOUSING', 'RESIDENCE', 'HEALTH', 'LEISURE_CLUBS', 'SOCIAL_PARTICIPATION', 'FINANCES'];
const byLifeArea = (counts: Record<string, number | null>) => LIFE_AREAS.map((key): [string, number | null] => [key, key in counts ? counts[key] : 0]);

describe('case figures of a municipality', () => {
  it('computes every metric of MA exactly, with trend, suppression and the linked suppression of home visits', async () => {
    const [ma] = await entitiesOk([municipality(MA)]);
    expect(ma.caseMetrics).toEqual([
      // Active in T2: A1 10 + A2 6 + A3 5 + A4 5 (closed 06-01) + A5 2 (closed 07-01) = 28; A6 closed 2025-12-01.
      // T1: A1 10 + A3 5 + A4 5 + A5 2 = 22 (A2 opened in May). 2025-T3: A1 10 + A4 5 + A5 2 + A6 3 = 20.
      count('ACTIVE_CASES', 28, trend(shown(22), shown(20))),
      // With a goal created before the end: T2 all but A3 = 23 of 28 (5 without: shown). T1 17 of 22 (A1, A4, A5; 5 without).
      // 2025-T3: 20 of 20.
      share('SHARE_ACTIVE_CASES_WITH_PLAN', 23, 28, trend(shown(17 / 22), shown(1))),
      // Opened in T2 with a first goal: A2, days 3, 7, 10, 14, 20, 30 → median (10 + 14) / 2 = 12 over 6 cases.
      // T1: only A3 opened, no goals → nothing to measure. 2025-T3: A1 10 × 10 days, A5 2 × 4 days → median 10.
      median('MEDIAN_DAYS_TO_FIRST_PLAN', 12, 6, trend(shown(null), shown(10))),
      // T2: opened ≤ 2026-03-01: A1 10 + A4 5 + A5 2 = 17; reviewed in [2026-03-01, 2026-09-01): A1 6 + A4 5 = 11 (6 not).
      // T1: opened ≤ 2025-11-01: A1 10 + A4 5 = 15; reviewed in [2025-11-01, 2026-05-01): A4 5 → 5 of 15.
      // 2025-T3: opened ≤ 2025-07-01: A4 5 + A6 3 = 8; reviewed in [2025-07-01, 2026-01-01): A6 3 → numerator 3 < 5: suppressed.
      share('SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', 11, 17, trend(shown(5 / 15), hidden)),
      // Closed in T2: 6 ACHIEVED + 2 PARTLY (A1) + 3 NOT + 2 DROPPED (A4) = 13 → 6 of 13. None closed in T1 or 2025-T3.
      share('SHARE_GOALS_ACHIEVED', 6, 13, trend(shown(null), shown(null))),
      // T2: 8 HOME_VISIT of 23 (12 OFFICE, 3 PHONE) would be shown, but CONSULTATIONS_BY_MODE hides PHONE 3 and, secondarily,
      // HOME_VISIT 8; the share would give 8 and 23 back, and with OFFICE 12 the 3 PHONE: suppressed with the cell.
      // T1: 5 HOME_VISIT of 15 (10 OFFICE) → 1/3. 2025-T3: none.
      suppressed('SHARE_HOME_VISITS', trend(shown(5 / 15), shown(null))),
      // Closed in T2: A4 5 (3 PERIOD_ENDED, 2 GOALS_ACHIEVED after 39 months ≥ 36) + A5 2 (8 months) → 5 of 7: the 2 are a small
      // complement: suppressed. T1: none closed. 2025-T3: A6 3 closed (22 months) → 0 of 3: small base, suppressed.
      suppressed('SHARE_CASES_REACHING_LIMIT', trend(shown(null), hidden)),
    ]);
  });

  it('breaks MA’s goals, consultations and closures down, with secondary suppression', async () => {
    const [ma] = await entitiesOk([municipality(MA)]);
    const all = ma.caseBreakdowns!;
    expect([...new Set(all.map((cell) => cell.breakdown))]).toEqual([
      'GOALS_BY_LIFE_AREA_SET',
      'GOALS_BY_LIFE_AREA_ACHIEVED',
      'GOALS_BY_LIFE_AREA_PARTLY_ACHIEVED',
      'GOALS_BY_LIFE_AREA_NOT_ACHIEVED',
      'GOALS_BY_LIFE_AREA_DROPPED',
      'CONSULTATIONS_BY_MODE',
      'CLOSURES_BY_REASON',
    ]);
    // Set in T2: LANGUAGE 6 (A2), WORK 3 (A1), HOUSING 7 (A1). WORK 3 is small; alone it could be recomputed from the total
    // of goals set, so the next smallest shown cell, LANGUAGE 6, is suppressed too.
    expect(cells(all, 'GOALS_BY_LIFE_AREA_SET')).toEqual(byLifeArea({ LANGUAGE: null, WORK: null, HOUSING: 7 }));
    expect(cells(all, 'GOALS_BY_LIFE_AREA_ACHIEVED')).toEqual(byLifeArea({ LANGUAGE: 6 }));
    // Single small cells with no other non-zero cell to hide with them (the totals of these groups are not published).
    expect(cells(all, 'GOALS_BY_LIFE_AREA_PARTLY_ACHIEVED')).toEqual(byLifeArea({ LANGUAGE: null }));
    expect(cells(all, 'GOALS_BY_LIFE_AREA_NOT_ACHIEVED')).toEqual(byLifeArea({ WORK: null }));
    expect(cells(all, 'GOALS_BY_LIFE_AREA_DROPPED')).toEqual(byLifeArea({ WORK: null }));
    // OFFICE 12, HOME_VISIT 8, PHONE 3 (small) → HOME_VISIT hidden as the next smallest; zeros are shown.
    expect(cells(all, 'CONSULTATIONS_BY_MODE')).toEqual([
      ['OFFICE', 12],
      ['HOME_VISIT', null],
      ['PHONE', null],
      ['VIDEO', 0],
      ['ACCOMPANIMENT', 0],
      ['GROUP', 0],
    ]);
    // Closed in T2: PERIOD_ENDED 3, GOALS_ACHIEVED 2, MOVED_AWAY 2: all small.
    expect(cells(all, 'CLOSURES_BY_REASON')).toEqual([
      ['GOALS_ACHIEVED', null],
      ['SELF_RELIANT', 0],
      ['MOVED_AWAY', null],
      ['DECLINED', 0],
      ['NO_CONTACT', 0],
      ['PERIOD_ENDED', null],
      ['OTHER', 0],
    ]);
  });

  it('suppresses a small municipality, shows a medium one and zeros for one without cases, in one batch', async () => {
    const [mb, mc, md] = await entitiesOk([municipality(MB), municipality(MC), municipality(MD)]);
    expect(mb.caseMetrics).toEqual([
      // B: 3 cases opened 2026-01-15 → a small cell in T2 and T1; none in 2025-T3 (0 is shown: it reveals nobody).
      suppressed('ACTIVE_CASES', trend(hidden, shown(0))),
      // 3 of 3 (T1 too); 2025-T3: no active cases → nothing to measure.
      suppressed('SHARE_ACTIVE_CASES_WITH_PLAN', trend(hidden, shown(null))),
      // None opened in T2; T1: 3 cases × 5 days → a median over 3: suppressed.
      emptyMedian('MEDIAN_DAYS_TO_FIRST_PLAN', trend(hidden, shown(null))),
      // T2: opened ≤ 2026-03-01: 3, none reviewed → 0 of 3: small base. T1: opened ≤ 2025-11-01: none.
      suppressed('SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', trend(shown(null), shown(null))),
      emptyShare('SHARE_GOALS_ACHIEVED', trend(shown(null), shown(null))),
      // 2 HOME_VISIT of 2.
      suppressed('SHARE_HOME_VISITS', trend(shown(null), shown(null))),
      emptyShare('SHARE_CASES_REACHING_LIMIT', trend(shown(null), shown(null))),
    ]);
    expect(cells(mb.caseBreakdowns!, 'CONSULTATIONS_BY_MODE')).toEqual([
      ['OFFICE', 0],
      ['HOME_VISIT', null],
      ['PHONE', 0],
      ['VIDEO', 0],
      ['ACCOMPANIMENT', 0],
      ['GROUP', 0],
    ]);
    expect(mc.caseMetrics).toEqual([
      // C: 8 cases opened 2025-12-01, active in all three periods.
      count('ACTIVE_CASES', 8, trend(shown(8), shown(8))),
      // First goals 2025-12-08, before the end of each period.
      share('SHARE_ACTIVE_CASES_WITH_PLAN', 8, 8, trend(shown(1), shown(1))),
      // None opened in T2 or T1; 2025-T3: 8 × 7 days.
      emptyMedian('MEDIAN_DAYS_TO_FIRST_PLAN', trend(shown(null), shown(7))),
      // T2: opened ≤ 2026-03-01: 8, all reviewed 2026-05-15 → 8 of 8 (complement 0). T1 (≤ 2025-11-01), 2025-T3: none opened.
      share('SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', 8, 8, trend(shown(null), shown(null))),
      emptyShare('SHARE_GOALS_ACHIEVED', trend(shown(null), shown(null))),
      // 6 HOME_VISIT of 12 (6 OFFICE).
      share('SHARE_HOME_VISITS', 6, 12, trend(shown(null), shown(null))),
      emptyShare('SHARE_CASES_REACHING_LIMIT', trend(shown(null), shown(null))),
    ]);
    expect(md.caseMetrics).toEqual([
      count('ACTIVE_CASES', 0, trend(shown(0), shown(0))),
      emptyShare('SHARE_ACTIVE_CASES_WITH_PLAN', trend(shown(null), shown(null))),
      emptyMedian('MEDIAN_DAYS_TO_FIRST_PLAN', trend(shown(null), shown(null))),
      ...['SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', 'SHARE_GOALS_ACHIEVED', 'SHARE_HOME_VISITS', 'SHARE_CASES_REACHING_LIMIT'].map((metric) =>
        emptyShare(metric, trend(shown(null), shown(null))),
      ),
    ]);
    expect(md.caseBreakdowns!.every((cell) => cell.count === 0 && !cell.suppressed)).toBe(true);
    expect(md.caseBreakdowns).toHaveLength(5 * 12 + 6 + 7);
  });

  it('uses the configured minimum cell size', async () => {
    process.env.STATS_MIN_CELL_SIZE = '3';
    try {
      const [mb] = await entitiesOk([municipality(MB)]);
      // With 3 as the minimum, B's 3 active cases are shown (and 0 of 3 reviewed, 3 of 3 with a plan).
      expect(mb.caseMetrics!.slice(0, 2)).toEqual([count('ACTIVE_CASES', 3, trend(shown(3), shown(0))), share('SHARE_ACTIVE_CASES_WITH_PLAN', 3, 3, trend(shown(1), shown(null)))]);
    } finally {
      delete process.env.STATS_MIN_CELL_SIZE;
    }
  });
});

describe('case figures of a provider', () => {
  it('computes P1’s figures with cases per full-time position', async () => {
    const [p1] = await entitiesOk([provider(P1, 2.5)]);
    const metrics = p1.caseMetrics!;
    // P1 owns A1, A2, A4, A6 (all in MA) and C (MC).
    // Active in T2: A1 10 + A2 6 + A4 5 + C 8 = 29; T1: A1 10 + A4 5 + C 8 = 23; 2025-T3: A1 10 + A4 5 + A6 3 + C 8 = 26.
    expect(metrics[0]).toEqual(count('ACTIVE_CASES', 29, trend(shown(23), shown(26))));
    // 29 / 2.5 full-time positions = 11.6; earlier staffing is unknown here: no trend values.
    expect(metrics[1]).toEqual({
      metric: 'CASES_PER_FULL_TIME_POSITION',
      value: 29 / 2.5,
      numerator: 29,
      denominator: null,
      suppressed: false,
      trend: trend(shown(null), shown(null)),
    });
    expect(metrics.slice(2).map(({ trend: _trend, ...figure }) => figure)).toEqual(
      [
        // All 29 have a goal before the end.
        share('SHARE_ACTIVE_CASES_WITH_PLAN', 29, 29, []),
        // A2 as in MA.
        median('MEDIAN_DAYS_TO_FIRST_PLAN', 12, 6, []),
        // Opened ≤ 2026-03-01: A1 10 + A4 5 + C 8 = 23; reviewed: A1 6 + A4 5 + C 8 = 19 → 4 not reviewed: small complement.
        suppressed('SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', []),
        // All goals closed in T2 are P1’s (A1, A4): 6 of 13.
        share('SHARE_GOALS_ACHIEVED', 6, 13, []),
        // OFFICE 12 + 6 = 18, HOME_VISIT 8 + 6 = 14, PHONE 3 → PHONE and (secondarily) HOME_VISIT hidden → share suppressed.
        suppressed('SHARE_HOME_VISITS', []),
        // Closed in T2: A4 5, all reaching the limit (3 PERIOD_ENDED, 2 after 39 months) → 5 of 5.
        share('SHARE_CASES_REACHING_LIMIT', 5, 5, []),
      ].map(({ trend: _trend, ...figure }) => figure),
    );
    expect(cells(p1.caseBreakdowns!, 'CONSULTATIONS_BY_MODE')).toEqual([
      ['OFFICE', 18],
      ['HOME_VISIT', null],
      ['PHONE', null],
      ['VIDEO', 0],
      ['ACCOMPANIMENT', 0],
      ['GROUP', 0],
    ]);
    // GOALS_ACHIEVED 2 and PERIOD_ENDED 3: two small cells, nothing else to hide.
    expect(cells(p1.caseBreakdowns!, 'CLOSURES_BY_REASON').filter(([, n]) => n !== 0)).toEqual([
      ['GOALS_ACHIEVED', null],
      ['PERIOD_ENDED', null],
    ]);
  });

  it('gives no ratio without staffing, and suppresses it with a small number of active cases', async () => {
    const [p2zero, p3] = await entitiesOk([provider(P2, 0), provider(P3, 1)]);
    // P2: A3 5 + A5 2 = 7 active cases; 0 full-time positions → nothing to divide by.
    expect(p2zero.caseMetrics!.slice(0, 2)).toEqual([
      // T1: A3 (opened 2026-03-10) 5 + A5 2 = 7; 2025-T3: A5 2 → suppressed.
      count('ACTIVE_CASES', 7, trend(shown(7), hidden)),
      { metric: 'CASES_PER_FULL_TIME_POSITION', value: null, numerator: 7, denominator: null, suppressed: false, trend: trend(shown(null), hidden) },
    ]);
    const [p2unknown] = await entitiesOk([provider(P2, null)]);
    expect(p2unknown.caseMetrics![1]).toMatchObject({ value: null, numerator: 7, suppressed: false });
    // P3: B's 3 cases → ACTIVE_CASES suppressed, and the ratio with it (3 / 1 would give them back).
    expect(p3.caseMetrics!.slice(0, 2)).toEqual([
      suppressed('ACTIVE_CASES', trend(hidden, shown(0))),
      suppressed('CASES_PER_FULL_TIME_POSITION', trend(hidden, shown(null))),
    ]);
  });
});

describe('district distribution', () => {
  it('computes median and quartiles over the municipalities and the providers, suppressed values not counted', async () => {
    const [d] = await entitiesOk([district([MA, MB, MC, MD], [P1, P2, P3])]);
    const expectDistribution = (actual: Distribution[], expected: [string, number | null, number | null, number | null, number][]) => {
      expect(actual.map((value) => value.metric)).toEqual(expected.map(([metric]) => metric));
      for (const [i, [metric, median, lower, upper, counted]] of expected.entries()) {
        const value = actual[i];
        expect({ metric: value.metric, counted: value.counted }).toEqual({ metric, counted });
        for (const [got, want] of [
          [value.median, median],
          [value.lowerQuartile, lower],
          [value.upperQuartile, upper],
        ] as const) {
          if (want === null) expect(got).toBeNull();
          else expect(got).toBeCloseTo(want, 12);
        }
      }
    };
    expectDistribution(d.caseDistribution!, [
      // MA 28, MB suppressed, MC 8, MD 0 → [0, 8, 28]: median 8, quartiles at positions 0.5 and 1.5: 4 and 18.
      ['ACTIVE_CASES', 8, 4, 18, 3],
      // MA 23/28, MC 1 (MB suppressed, MD empty) → median 0.9107…, quartiles 23/28 + ¼ and ¾ of 5/28.
      ['SHARE_ACTIVE_CASES_WITH_PLAN', (23 / 28 + 1) / 2, 23 / 28 + 0.25 * (5 / 28), 23 / 28 + 0.75 * (5 / 28), 2],
      ['MEDIAN_DAYS_TO_FIRST_PLAN', 12, 12, 12, 1],
      // MA 11/17, MC 1 → 14/17, 12.5/17, 15.5/17.
      ['SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', 14 / 17, 12.5 / 17, 15.5 / 17, 2],
      ['SHARE_GOALS_ACHIEVED', 6 / 13, 6 / 13, 6 / 13, 1],
      // MA and MB suppressed, MC 0.5.
      ['SHARE_HOME_VISITS', 0.5, 0.5, 0.5, 1],
      // MA suppressed, the others have no closures.
      ['SHARE_CASES_REACHING_LIMIT', null, null, null, 0],
    ]);
    expectDistribution(d.caseProviderDistribution!, [
      // P1 29, P2 7, P3 suppressed → [7, 29]: 18, 12.5, 23.5.
      ['ACTIVE_CASES', 18, 12.5, 23.5, 2],
      // P1 1; P2 2 of 7 and P3 3 of 3 suppressed.
      ['SHARE_ACTIVE_CASES_WITH_PLAN', 1, 1, 1, 1],
      ['MEDIAN_DAYS_TO_FIRST_PLAN', 12, 12, 12, 1],
      // P1 suppressed (complement 4), P2 0 of 2 and P3 0 of 3 suppressed.
      ['SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', null, null, null, 0],
      ['SHARE_GOALS_ACHIEVED', 6 / 13, 6 / 13, 6 / 13, 1],
      ['SHARE_HOME_VISITS', null, null, null, 0],
      // P1 5 of 5; P2 0 of 2 suppressed.
      ['SHARE_CASES_REACHING_LIMIT', 1, 1, 1, 1],
    ]);
  });

  it('asks the database once per kind of figure for the municipalities of a district', async () => {
    const ids = [MA, MB, MC, MD, ...Array.from({ length: 40 }, () => randomUUID())];
    const token = await roleToken(randomUUID(), Role.Coordinator);
    cases.statements.reset();
    await entitiesOk([district(ids, [P1, P2, P3])], token);
    expect(cases.statements.statements.filter((sql) => /statistics_\w+_figures/.test(sql))).toHaveLength(6);
  });
});

describe('cost', () => {
  it('costs the same statements for 2 and for 10 municipalities (one per kind of figure)', async () => {
    const token = await roleToken(randomUUID(), Role.Coordinator);
    const statementsFor = async (ids: string[]) => {
      cases.statements.reset();
      const result = await entitiesOk(ids.map((id) => municipality(id)), token);
      expect(result).toHaveLength(ids.length);
      return [...cases.statements.statements];
    };
    const two = await statementsFor([MA, MB]);
    const ten = await statementsFor([MA, MB, MC, MD, ...Array.from({ length: 6 }, () => randomUUID())]);
    expect(ten.length).toBe(two.length);
    expect(ten.filter((sql) => /statistics_\w+_figures/.test(sql))).toHaveLength(3);
  });

  it('computes the trend periods only when the caller selects trend', async () => {
    const token = await roleToken(randomUUID(), Role.Coordinator);
    const periodsAsked = async (fields: string) => {
      cases.statements.reset();
      const result = await cases.graphql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on MunicipalityStatistics { caseMetrics { ${fields} } } } }`, { r: [municipality(MA)] }, token);
      expect(result.errors).toBeUndefined();
      const calls = cases.statements.calls.filter((call) => /statistics_\w+_figures/.test(call.query));
      expect(calls).toHaveLength(3);
      // $3: the period labels of the (group, period) pairs asked for.
      return [...new Set(calls.flatMap((call) => call.parameters[2] as string[]))].sort();
    };
    expect(await periodsAsked('metric value')).toEqual([PERIOD]);
    expect(await periodsAsked('metric value trend { period value }')).toHaveLength(3);
    expect(await periodsAsked('metric ... on MetricValue { trend { period } }')).toHaveLength(3);
  });
});

describe('who may see the case figures', () => {
  const ask = (token?: string) =>
    cases.graphql<{ _entities: Entity[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on MunicipalityStatistics { caseMetrics { metric value } } } }`,
      { r: [municipality(MA)] },
      token,
    );

  it.each([Role.Coordinator, Role.Lead, Role.Caseworker, Role.OrgAdmin])('shows %s of any organisation the figures over all providers', async (role) => {
    const result = await ask(await roleToken(randomUUID(), role));
    responses.push(JSON.stringify(result));
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities[0].caseMetrics![0]).toEqual({ metric: 'ACTIVE_CASES', value: 28 });
  });

  it.each([Role.Partner, Role.Auditor])('refuses %s', async (role) => {
    const result = await ask(await roleToken(P1, role));
    responses.push(JSON.stringify(result));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses callers without a token', async () => {
    for (const representations of [[municipality(MA)], [provider(P1, 1)], [district([MA], [P1])]]) {
      const result = await entities(representations, '');
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.errors!.every((error) => error.extensions?.code === 'UNAUTHENTICATED')).toBe(true);
    }
  });

  it('shows a municipal app its own municipality’s figures (and its own organisation’s as a provider), never another’s', async () => {
    const app = await roleToken(MA, Role.MunicipalApp);
    const [own] = await entitiesOk([municipality(MA)], app);
    expect(own.caseMetrics![0]).toMatchObject({ metric: 'ACTIVE_CASES', value: 28 });
    for (const other of [municipality(MB), municipality(MC), provider(P1, 1)]) {
      const result = await entities([other], app);
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(result.data ?? null)).not.toMatch(/"value":\d/);
    }
    const [asProvider] = await entitiesOk([provider(P1, 1)], await roleToken(P1, Role.MunicipalApp));
    expect(asProvider.caseMetrics![0]).toMatchObject({ metric: 'ACTIVE_CASES' });
  });

  it('computes a municipal app’s distribution only over its district as the partners subgraph lists it: fails closed without it', async () => {
    const saved = process.env.PARTNERS_URL;
    process.env.PARTNERS_URL = `http://127.0.0.1:${await freePort()}/graphql`;
    try {
      const result = await entities([district([MA, MB, MC, MD], [P1, P2, P3])], await roleToken(MA, Role.MunicipalApp));
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.errors!.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')).toBe(true);
      expect(JSON.stringify(result.data ?? null)).not.toMatch(/"median":\d/);
    } finally {
      if (saved === undefined) delete process.env.PARTNERS_URL;
      else process.env.PARTNERS_URL = saved;
    }
  });

  it('names a bad period or id', async () => {
    const period = await entities([municipality(MA, '2026-T4')]);
    expect(period.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period', rule: 'isPeriod' });
    const id = await entities([municipality('not-a-uuid')]);
    expect(id.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'municipalityId', rule: 'isUuid' });
    const member = await entities([district([MA, 'x'], [])]);
    expect(member.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'municipalityIds.1', rule: 'isUuid' });
  });
});

describe('privacy in PostgreSQL', () => {
  const asApp = async <R>(roles: string | null, run: (query: (sql: string, params?: unknown[]) => Promise<R[]>) => Promise<R[]>) => {
    const client = await cases.appClient();
    try {
      await client.query('BEGIN');
      if (roles !== null) await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [randomUUID(), roles]);
      return await run(async (sql, params) => (await client.query(sql, params)).rows as R[]);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  };
  const CALL = `SELECT * FROM statistics_case_figures('municipality', $1::uuid[], $2::text[], $3::date[], $4::date[]) ORDER BY figure, category`;
  const T2_MA = [[MA], [PERIOD], ['2026-05-01'], ['2026-09-01']];

  it('returns only aggregates per group, period and figure, over all organisations, to a caller with a statistics role', async () => {
    const rows = await asApp<Record<string, unknown>>(Role.Coordinator, (query) => query(CALL, T2_MA));
    for (const row of rows) expect(Object.keys(row)).toEqual(['group_id', 'period', 'figure', 'category', 'n', 'base', 'median']);
    const figures = rows.map((row) => [row.figure, row.category, Number(row.n), row.base === null ? null : Number(row.base), row.median]);
    // The unsuppressed aggregates behind MA's figures (the API suppresses some of them): e.g. 5 of 7 reaching the limit.
    expect(figures).toEqual([
      ['active_cases', null, 28, null, null],
      ['active_cases_with_plan', null, 23, 28, null],
      ['cases_reaching_limit', null, 5, 7, null],
      ['closures_by_reason', 'goals_achieved', 2, null, null],
      ['closures_by_reason', 'moved_away', 2, null, null],
      ['closures_by_reason', 'period_ended', 3, null, null],
      ['days_to_first_plan', null, 6, null, 12],
      ['plans_reviewed', null, 11, 17, null],
    ]);
    // The application role alone sees none of these cases (row-level security).
    expect(await asApp(Role.Caseworker, (query) => query(`SELECT id FROM cases`))).toEqual([]);
  });

  it('refuses callers without a statistics role, and the functions run as their owner with a fixed search path', async () => {
    await expect(asApp(null, (query) => query(CALL, T2_MA))).rejects.toThrow(/statistics need the role/);
    await expect(asApp(Role.Partner, (query) => query(CALL, T2_MA))).rejects.toThrow(/statistics need the role/);
    // A municipal app's figures come from the same aggregates (its view is cut in the resolvers).
    expect((await asApp<Record<string, unknown>>(Role.MunicipalApp, (query) => query(CALL, T2_MA))).length).toBeGreaterThan(0);
    const [owner] = await cases.ownerQuery<{ name: string }>(`SELECT current_user AS name`);
    const functions = await cases.ownerQuery<{ proname: string; owner: string; prosecdef: boolean; proconfig: string[]; public_execute: boolean }>(
      `SELECT proname, pg_get_userbyid(proowner) AS owner, prosecdef, proconfig,
              has_function_privilege('public', oid, 'EXECUTE') AS public_execute
         FROM pg_proc WHERE proname LIKE 'statistics\\_%' ORDER BY proname`,
    );
    expect(functions).toEqual(
      // The published figures' functions too (migration 1765000000000, test/statistics-published.test.ts).
      [
        'statistics_case_figures',
        'statistics_consultation_figures',
        'statistics_goal_figures',
        'statistics_publication_time',
        'statistics_publish',
        'statistics_published_figures',
      ].map((proname) => ({
        proname,
        owner: owner.name,
        prosecdef: true,
        proconfig: ['search_path=public, pg_temp'],
        public_execute: false,
      })),
    );
    // The indexes the functions read by hold the columns they read (migration 1764900000000): index-only scans.
    const indexes = await cases.ownerQuery<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes
        WHERE indexname IN ('cases_municipality_active', 'cases_owner_active', 'goals_case_created', 'goals_case_closed', 'consultations_case', 'integration_plans_case_review')
        ORDER BY indexname`,
    );
    expect(Object.fromEntries(indexes.map((row) => [row.indexname, / INCLUDE \(([^)]*)\)/.exec(row.indexdef)?.[1]]))).toEqual({
      cases_municipality_active: 'id, closed_at, closure_reason, program_id',
      cases_owner_active: 'id, closed_at, closure_reason, program_id',
      consultations_case: 'mode',
      goals_case_closed: 'status, life_area',
      goals_case_created: 'life_area',
      integration_plans_case_review: 'last_reviewed_on',
    });
  });
});

describe('no personal data', () => {
  it('never returns names, contact data, notes or ids of clients, cases, plans, goals or consultations', async () => {
    await entities([municipality(MA), municipality(MB), municipality(MC), provider(P1, 2.5), provider(P2, null), provider(P3, 1), district([MA, MB, MC, MD], [P1, P2, P3])]);
    await entities([municipality(MA, T1), municipality(MA, T3), municipality(MA, '2026'), provider(P1, 1, '2025')]);
    expect(personal.length).toBeGreaterThan(100);
    expect(responses.length).toBeGreaterThan(10);
    const text = responses.join('\n');
    for (const value of [...personal, 'Geheim', 'Vertraulich', 'geheim@example.org', '999999', 'test-caseworker']) {
      expect(text).not.toContain(value);
    }
    // The only ids in the responses are those of the municipalities, providers and districts asked for.
    for (const id of new Set(text.match(UUIDS) ?? [])) expect(asked).toContain(id);
    for (const id of personal) expect(asked).not.toContain(id);
  });
});
