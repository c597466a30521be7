import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { demoId, freePort, GraphQLResponse, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { referralsSubgraph } from '../src/subgraph';

/**
 * The referrals subgraph's figures for the cooperation meetings (issue 6), on a hand-made fixture without the demo
 * seed. Every expected value below is computed by hand in the comments from the fixture table; the threshold is
 * the default minimum cell size 5.
 *
 * Periods: 2026-T2 = [1 May 2026, 1 Sep 2026) in German time = [2026-04-30T22:00Z, 2026-08-31T22:00Z);
 * its trend: 2026-T1 = [2025-12-31T23:00Z, 2026-04-30T22:00Z), then 2025-T3 (no referrals at all).
 */
let referrals: TestSubgraph;

const M1 = demoId('test-municipality', 'm1'); // big: most cells shown, some suppressed
const M2 = demoId('test-municipality', 'm2'); // small: everything suppressed
const M3 = demoId('test-municipality', 'm3'); // medium: everything shown
const M4 = demoId('test-municipality', 'm4'); // no referrals at all
const P1 = demoId('test-provider', 'p1'); // sends M1's referrals and five without a municipality
const P2 = demoId('test-provider', 'p2'); // sends M3's
const P3 = demoId('test-provider', 'p3'); // sends M2's
const DISTRICT = demoId('test-district', 'd');
const RECEIVERS: Record<string, string> = {
  language_course_provider: demoId('test-partner', 'vhs'),
  jobcenter: demoId('test-partner', 'jobcenter'),
  immigration_office: demoId('test-partner', 'immigration-office'),
  migration_counselling: demoId('test-partner', 'mbe'),
};

const DAY = 86_400_000;
const plus = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();
const day = (d: number, month = 5) => `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}T10:00:00Z`;

interface Spec {
  name: string;
  municipality: string | null;
  sender: string;
  status: string;
  lifeArea: string;
  kind: string;
  /** null: a draft */
  sent: string | null;
  /** days after sending */
  respond?: number;
  start?: number;
  /** an instant, or days after sending */
  close?: string | number;
  level?: string;
}

/**
 * The fixture. Response deadline: 14 days after sending. Times at 10:00Z are noon in German summer time, so the
 * day differences below are also calendar days in German time.
 */
const SPECS: Spec[] = [
  // M1, sent by P1 in 2026-T2 (20 referrals):
  // L1–L12 language courses, completed on 20 Aug, answered after 2 days, started after 10 (L1–L6) or 14 (L7–L12)
  // days; levels A2 (L1–L5), B1 (L6–L11), C1 (L12). L1 is sent on 30 Apr 22:30Z = 1 May 00:30 in Germany: T2.
  ...Array.from({ length: 12 }, (_, i): Spec => ({
    name: `L${i + 1}`,
    municipality: M1,
    sender: P1,
    status: 'completed',
    lifeArea: 'language',
    kind: 'language_course_provider',
    sent: i === 0 ? '2026-04-30T22:30:00Z' : day(i + 1),
    respond: 2,
    start: i < 6 ? 10 : 14,
    close: '2026-08-20T10:00:00Z',
    level: i < 5 ? 'A2' : i < 11 ? 'B1' : 'C1',
  })),
  // W1–W5 work, Jobcenter, declined one day after sending (1–5 June)
  ...Array.from({ length: 5 }, (_, i): Spec => ({
    name: `W${i + 1}`,
    municipality: M1,
    sender: P1,
    status: 'declined',
    lifeArea: 'work',
    kind: 'jobcenter',
    sent: day(i + 1, 6),
    respond: 1,
    close: 1,
  })),
  // W6 work, migration counselling, answered after 3 days, no-show closed on 30 July
  { name: 'W6', municipality: M1, sender: P1, status: 'no_show', lifeArea: 'work', kind: 'migration_counselling', sent: day(10, 6), respond: 3, close: '2026-07-30T10:00:00Z' },
  // R1 residence, immigration office, never answered, expired an hour after its deadline (15 June)
  { name: 'R1', municipality: M1, sender: P1, status: 'expired', lifeArea: 'residence', kind: 'immigration_office', sent: day(1, 6), close: 14 + 1 / 24 },
  // R2 residence, immigration office, accepted late: answered after 20 days (deadline 14), still open
  { name: 'R2', municipality: M1, sender: P1, status: 'accepted', lifeArea: 'residence', kind: 'immigration_office', sent: day(2, 6), respond: 20 },
  // Not in M1's 2026-T2: Z1 sent on 31 Aug 22:30Z = 1 Sep 00:30 in Germany (T3); a draft (never sent)
  { name: 'Z1', municipality: M1, sender: P1, status: 'accepted', lifeArea: 'language', kind: 'language_course_provider', sent: '2026-08-31T22:30:00Z', respond: 1 },
  { name: 'DRAFT', municipality: M1, sender: P1, status: 'draft', lifeArea: 'language', kind: 'language_course_provider', sent: null },
  // M1, sent by P1 in 2026-T1 (8 referrals):
  // X1 language, completed on 10 June (T2) at B1, answered after 2 days, started after 10
  { name: 'X1', municipality: M1, sender: P1, status: 'completed', lifeArea: 'language', kind: 'language_course_provider', sent: day(10, 4), respond: 2, start: 10, close: '2026-06-10T10:00:00Z', level: 'B1' },
  // X2 work, never answered, cancelled by the sender on 20 May (T2)
  { name: 'X2', municipality: M1, sender: P1, status: 'cancelled', lifeArea: 'work', kind: 'jobcenter', sent: day(1, 3), close: '2026-05-20T10:00:00Z' },
  // E1–E6 language, sent 2–7 Feb, never answered, expired an hour after the deadline (16–21 Feb, T1)
  ...Array.from({ length: 6 }, (_, i): Spec => ({
    name: `E${i + 1}`,
    municipality: M1,
    sender: P1,
    status: 'expired',
    lifeArea: 'language',
    kind: 'language_course_provider',
    sent: day(i + 2, 2),
    close: 14 + 1 / 24,
  })),
  // P1 without a municipality (the client's municipality unknown), 2026-T2: N1–N5 work, Jobcenter, accepted after 5 days
  ...Array.from({ length: 5 }, (_, i): Spec => ({
    name: `N${i + 1}`,
    municipality: null,
    sender: P1,
    status: 'accepted',
    lifeArea: 'work',
    kind: 'jobcenter',
    sent: day(i + 1, 7),
    respond: 5,
  })),
  // M3, sent by P2 in 2026-T2 (10 referrals):
  // C1–C5 language, answered after 4 days, started after 20, completed on 25 Aug at B2
  ...Array.from({ length: 5 }, (_, i): Spec => ({
    name: `C${i + 1}`,
    municipality: M3,
    sender: P2,
    status: 'completed',
    lifeArea: 'language',
    kind: 'language_course_provider',
    sent: day(11 + i, 6),
    respond: 4,
    start: 20,
    close: '2026-08-25T10:00:00Z',
    level: 'B2',
  })),
  // D1–D5 work, Jobcenter, declined after 6 days
  ...Array.from({ length: 5 }, (_, i): Spec => ({
    name: `D${i + 1}`,
    municipality: M3,
    sender: P2,
    status: 'declined',
    lifeArea: 'work',
    kind: 'jobcenter',
    sent: day(21 + i, 6),
    respond: 6,
    close: 6,
  })),
  // M2, sent by P3 in 2026-T2 (3 referrals): S1–S3 language, answered after 1 day, started after 5, completed on 10 Aug at B1
  ...Array.from({ length: 3 }, (_, i): Spec => ({
    name: `S${i + 1}`,
    municipality: M2,
    sender: P3,
    status: 'completed',
    lifeArea: 'language',
    kind: 'language_course_provider',
    sent: day(1 + i, 7),
    respond: 1,
    start: 5,
    close: '2026-08-10T10:00:00Z',
    level: 'B1',
  })),
];

/** Personal data and identifiers that must never come out of the statistics. */
const SECRETS: string[] = [];
/** Every response of this file, to look for them at the end. */
const RESPONSES: string[] = [];

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph);
  const rows = SPECS.map((spec, i) => {
    const at = (value: string | number | undefined) => (value === undefined || !spec.sent ? null : typeof value === 'number' ? plus(spec.sent, value) : value);
    const caseId = randomUUID();
    SECRETS.push(caseId, `Geheimnis${i}`);
    return {
      case_id: caseId,
      sender: spec.sender,
      receiver: RECEIVERS[spec.kind],
      kind: spec.kind,
      municipality: spec.municipality,
      status: spec.status,
      life_area: spec.lifeArea,
      sent_at: spec.sent,
      due_at: at(spec.sent ? 14 : undefined),
      first_response_at: at(spec.respond),
      started_at: at(spec.start),
      closed_at: at(spec.close),
      reason_code: ['declined', 'cancelled', 'failed'].includes(spec.status) ? 'other' : null,
      outcome: spec.status === 'completed' ? { code: spec.level ? 'level_reached' : 'service_provided', levelReached: spec.level ?? null } : null,
      snapshot: spec.sent ? { name: { givenName: 'Fixturia', familyName: `Geheimnis${i}` }, dateOfBirth: '1990-01-01' } : null,
    };
  });
  const inserted = await referrals.ownerQuery<{ id: string }>(
    `INSERT INTO referrals (case_id, sender_organization_id, receiver_organization_id, receiver_kind, municipality_id, status, life_area, reason,
                            sent_at, response_due_at, first_response_at, started_at, closed_at, reason_code, outcome, consent_id,
                            snapshot, snapshot_scope, snapshot_taken_at, created_at, updated_at)
     SELECT x.case_id, x.sender, x.receiver, x.kind, x.municipality, x.status, x.life_area, 'Fixture',
            x.sent_at, x.due_at, x.first_response_at, x.started_at, x.closed_at, x.reason_code, x.outcome, gen_random_uuid(),
            x.snapshot, CASE WHEN x.snapshot IS NULL THEN '{}'::text[] ELSE ARRAY['name', 'dateOfBirth'] END, x.sent_at,
            coalesce(x.sent_at, now()), coalesce(x.closed_at, x.sent_at, now())
       FROM jsonb_to_recordset($1::jsonb) AS x(case_id uuid, sender uuid, receiver uuid, kind text, municipality uuid, status text, life_area text,
                                               sent_at timestamptz, due_at timestamptz, first_response_at timestamptz, started_at timestamptz,
                                               closed_at timestamptz, reason_code text, outcome jsonb, snapshot jsonb)
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  expect(inserted).toHaveLength(SPECS.length);
  SECRETS.push(...inserted.map((r) => r.id), 'Fixturia', '1990-01-01');
});
afterAll(() => referrals?.stop());

async function query<T>(document: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
  const result = await referrals.graphql<T>(document, variables, token);
  RESPONSES.push(JSON.stringify(result));
  return result;
}

const reader = () => roleToken(demoId('test-org', 'unrelated'), Role.Caseworker); // sees none of the fixture's rows itself (RLS)

type Trend = { period: string; value: number | null; suppressed: boolean };
type Metric = { metric: string; value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean; trend: Trend[] };
type Breakdown = { breakdown: string; key: string; count: number | null; suppressed: boolean };
type Distribution = { metric: string; median: number | null; lowerQuartile: number | null; upperQuartile: number | null; counted: number };
type Entity = { referralMetrics?: Metric[]; referralBreakdowns?: Breakdown[]; referralDistribution?: Distribution[]; referralProviderDistribution?: Distribution[] };

const METRICS = `referralMetrics { metric value numerator denominator suppressed trend { period value suppressed } }`;
const BREAKDOWNS = `referralBreakdowns { breakdown key count suppressed }`;
const DISTRIBUTION = `metric median lowerQuartile upperQuartile counted`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on MunicipalityStatistics { municipalityId period ${METRICS} ${BREAKDOWNS} }
  ... on ProviderStatistics { providerId period ${METRICS} ${BREAKDOWNS} }
  ... on DistrictStatistics { districtId period referralDistribution { ${DISTRIBUTION} } referralProviderDistribution { ${DISTRIBUTION} } }
} }`;

const municipality = (municipalityId: string, period = '2026-T2') => ({ __typename: 'MunicipalityStatistics', municipalityId, period });
const provider = (providerId: string, period = '2026-T2') => ({ __typename: 'ProviderStatistics', providerId, period });
const district = (municipalityIds: string[], providerIds: string[], period = '2026-T2') => ({ __typename: 'DistrictStatistics', districtId: DISTRICT, period, municipalityIds, providerIds });

async function entities(representations: object[], token?: string): Promise<Entity[]> {
  const result = await query<{ _entities: Entity[] }>(ENTITIES, { r: representations }, token ?? (await reader()));
  expect(result.errors).toBeUndefined();
  return result.data!._entities;
}

// Expected values.
const count = (metric: string, value: number) => ({ metric, value, numerator: value, denominator: null, suppressed: false });
const share = (metric: string, numerator: number, denominator: number) => ({ metric, value: denominator ? numerator / denominator : null, numerator, denominator, suppressed: false });
const median = (metric: string, value: number | null, observations: number) => ({ metric, value, numerator: observations, denominator: null, suppressed: false });
const suppressed = (metric: string) => ({ metric, value: null, numerator: null, denominator: null, suppressed: true });
const point = (period: string, value: number | null, isSuppressed = false) => ({ period, value, suppressed: isSuppressed });
const withoutTrend = (metrics: Metric[]) => metrics.map(({ trend, ...rest }) => rest);
const cells = (breakdown: string, values: [string, number | null][]) =>
  values.map(([key, value]) => ({ breakdown, key, count: value, suppressed: value === null }));
const LIFE_AREAS = ['LANGUAGE', 'WORK', 'VOCATIONAL_TRAINING', 'STUDY', 'CHILDCARE', 'SCHOOL', 'HOUSING', 'RESIDENCE', 'HEALTH', 'LEISURE_CLUBS', 'SOCIAL_PARTICIPATION', 'FINANCES'];
const lifeAreas = (given: Record<string, number | null>) => cells('SENT_BY_LIFE_AREA', LIFE_AREAS.map((key) => [key, key in given ? given[key] : 0]));
const levels = (given: Record<string, number | null>) => cells('LANGUAGE_OUTCOMES_BY_LEVEL', ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map((key) => [key, key in given ? given[key] : 0]));

describe('referral figures of a municipality', () => {
  it('computes every metric of M1 in 2026-T2 exactly, suppressing small cells', async () => {
    const [m1] = await entities([municipality(M1)]);
    expect(withoutTrend(m1.referralMetrics!)).toEqual([
      // Sent in T2: L1–L12, W1–W6, R1, R2 = 20 (L1 at 1 May 00:30 German time counts; Z1 on 1 Sep 00:30 and the draft do not).
      count('REFERRALS_SENT', 20),
      // Base: sent in T2 and answered or past the deadline = all 20 (R1 unanswered, deadline 15 June passed). In time:
      // L1–L12 (2 days), W1–W5 (1), W6 (3) = 18; R2 (20 days) and R1 not. 18/20: the complement 2 is a small cell.
      suppressed('SHARE_REFERRALS_ANSWERED_IN_TIME'),
      // Days to the first answer of the 19 answered: 1 ×5 (W1–W5), 2 ×12 (L), 3 (W6), 20 (R2); the 10th of 19 is 2.
      median('MEDIAN_DAYS_TO_FIRST_RESPONSE', 2, 19),
      // Days to the start of the 12 started: 10 ×6, 14 ×6; median (10 + 14) / 2 = 12.
      median('MEDIAN_DAYS_TO_START', 12, 12),
      // Answered with a decision: L ×12 completed, W1–W5 declined, W6 no-show, R2 accepted = 19 (R1 expired is no
      // decision); not declined 14; declined 5 — shown.
      share('ACCEPTANCE_RATE', 14, 19),
      // Closed in T2 (by closed_at), cancelled left out: L1–L12 completed, X1 completed (sent in T1, closed 10 June),
      // W1–W5 declined, W6 no-show, R1 expired = 20 (X2 cancelled on 20 May does not count); completed 13.
      share('COMPLETION_RATE', 13, 20),
      // No-show 1 of the same 20: a small cell.
      suppressed('NO_SHOW_RATE'),
      // Expired of the 20 sent in T2: R1 = 1, a small cell.
      suppressed('EXPIRY_RATE'),
      // Completed in T2 with a level: L1–L12, X1 = 13; B1 or higher: L6–L11 (B1), L12 (C1), X1 (B1) = 8; below 5.
      share('SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', 8, 13),
    ]);
  });

  it('gives each metric its trend over the two previous periods, nearest first', async () => {
    const [m1] = await entities([municipality(M1)]);
    const trends = Object.fromEntries(m1.referralMetrics!.map((m) => [m.metric, m.trend]));
    // 2026-T1: sent X1, X2, E1–E6 = 8. Answered or past deadline: all 8; in time: X1 only (1, small). Answered: X1
    // only (1 observation, small); started: X1 only. Decided: X1 (1, small). Closed in T1 (cancelled left out):
    // E1–E6 expired (16–21 Feb) = 6, completed 0 → 0 (0 of 6 is shown: base 6, complement 6). No-show 0 of 6 → 0.
    // Expired of the 8 sent: 6, complement 2 (small). Completed with a level in T1: none → nothing to measure (null).
    // 2025-T3: no referrals: 0 sent (0 is shown), every share and median has nothing to measure (null, not suppressed).
    expect(trends).toEqual({
      REFERRALS_SENT: [point('2026-T1', 8), point('2025-T3', 0)],
      SHARE_REFERRALS_ANSWERED_IN_TIME: [point('2026-T1', null, true), point('2025-T3', null)],
      MEDIAN_DAYS_TO_FIRST_RESPONSE: [point('2026-T1', null, true), point('2025-T3', null)],
      MEDIAN_DAYS_TO_START: [point('2026-T1', null, true), point('2025-T3', null)],
      ACCEPTANCE_RATE: [point('2026-T1', null, true), point('2025-T3', null)],
      COMPLETION_RATE: [point('2026-T1', 0), point('2025-T3', null)],
      NO_SHOW_RATE: [point('2026-T1', 0), point('2025-T3', null)],
      EXPIRY_RATE: [point('2026-T1', null, true), point('2025-T3', null)],
      SHARE_LANGUAGE_COURSES_B1_OR_HIGHER: [point('2026-T1', null), point('2025-T3', null)],
    });
  });

  it('suppresses everything of a small municipality, shows everything of a medium one, and 0 for an empty one', async () => {
    const [m2, m3, m4] = await entities([municipality(M2), municipality(M3), municipality(M4)]);
    // M2: S1–S3, 3 of everything (no-show and expiry 0 of 3: the base is a small cell).
    expect(withoutTrend(m2.referralMetrics!)).toEqual(
      ['REFERRALS_SENT', 'SHARE_REFERRALS_ANSWERED_IN_TIME', 'MEDIAN_DAYS_TO_FIRST_RESPONSE', 'MEDIAN_DAYS_TO_START', 'ACCEPTANCE_RATE', 'COMPLETION_RATE', 'NO_SHOW_RATE', 'EXPIRY_RATE', 'SHARE_LANGUAGE_COURSES_B1_OR_HIGHER'].map(suppressed),
    );
    expect(withoutTrend(m3.referralMetrics!)).toEqual([
      count('REFERRALS_SENT', 10), // C1–C5, D1–D5
      share('SHARE_REFERRALS_ANSWERED_IN_TIME', 10, 10), // all answered within 4 or 6 days (complement 0 is shown)
      median('MEDIAN_DAYS_TO_FIRST_RESPONSE', 5, 10), // 4 ×5, 6 ×5 → (4 + 6) / 2
      median('MEDIAN_DAYS_TO_START', 20, 5), // C1–C5 after 20 days
      share('ACCEPTANCE_RATE', 5, 10), // 10 decided, 5 declined
      share('COMPLETION_RATE', 5, 10), // closed in T2: C1–C5 completed, D1–D5 declined
      share('NO_SHOW_RATE', 0, 10),
      share('EXPIRY_RATE', 0, 10),
      share('SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', 5, 5), // all at B2
    ]);
    expect(withoutTrend(m4.referralMetrics!)).toEqual([
      count('REFERRALS_SENT', 0),
      share('SHARE_REFERRALS_ANSWERED_IN_TIME', 0, 0),
      median('MEDIAN_DAYS_TO_FIRST_RESPONSE', null, 0),
      median('MEDIAN_DAYS_TO_START', null, 0),
      share('ACCEPTANCE_RATE', 0, 0),
      share('COMPLETION_RATE', 0, 0),
      share('NO_SHOW_RATE', 0, 0),
      share('EXPIRY_RATE', 0, 0),
      share('SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', 0, 0),
    ]);
    expect(m4.referralMetrics!.find((m) => m.metric === 'ACCEPTANCE_RATE')!.value).toBeNull();
  });

  it('breaks referrals down with secondary suppression', async () => {
    const [m1, m2, m3] = await entities([municipality(M1), municipality(M2), municipality(M3)]);
    expect(m1.referralBreakdowns).toEqual([
      // Sent in T2: LANGUAGE 12 (L), WORK 6 (W1–W6), RESIDENCE 2 (R1, R2). RESIDENCE alone would be recomputable from
      // REFERRALS_SENT (20 − 12 − 6), so the next smallest, WORK, is suppressed too.
      ...lifeAreas({ LANGUAGE: 12, WORK: null, RESIDENCE: null }),
      // By kind (name order): immigration office 2 (R1, R2), Jobcenter 5 (W1–W5), language courses 12, migration
      // counselling 1 (W6): the two small cells add up to 3 < 5, so together they would still reveal fewer than five
      // referrals from the total; the next smallest, Jobcenter, is suppressed too.
      ...cells('SENT_BY_RECEIVER_KIND', [
        ['IMMIGRATION_OFFICE', null],
        ['JOBCENTER', null],
        ['LANGUAGE_COURSE_PROVIDER', 12],
        ['MIGRATION_COUNSELLING', null],
      ]),
      // Completed in T2 by level: A2 5 (L1–L5), B1 7 (L6–L11, X1), C1 1 (L12). The share B1-or-higher publishes both
      // 13 and 8, so A1–A2 and B1–C2 are suppressed as groups of their own: C1 (1) is hidden, and B1 with it
      // (otherwise C1 = 8 − 7); A2 stays (A1 + A2 = 13 − 8 = 5 is published anyway).
      ...levels({ A2: 5, B1: null, C1: null }),
    ]);
    // M2: 3 sent, all language courses, 3 completed at B1: each small cell alone in its group (no other non-zero cell
    // to hide; the totals are suppressed as well).
    expect(m2.referralBreakdowns).toEqual([...lifeAreas({ LANGUAGE: null }), ...cells('SENT_BY_RECEIVER_KIND', [['LANGUAGE_COURSE_PROVIDER', null]]), ...levels({ B1: null })]);
    expect(m3.referralBreakdowns).toEqual([
      ...lifeAreas({ LANGUAGE: 5, WORK: 5 }),
      ...cells('SENT_BY_RECEIVER_KIND', [
        ['JOBCENTER', 5],
        ['LANGUAGE_COURSE_PROVIDER', 5],
      ]),
      ...levels({ B2: 5 }),
    ]);
  });
});

describe('referral figures of a provider', () => {
  it('counts the referrals a provider sent, with or without a municipality', async () => {
    const [p1, p2, p3] = await entities([provider(P1), provider(P2), provider(P3)]);
    expect(withoutTrend(p1.referralMetrics!)).toEqual([
      // M1's 20 plus N1–N5 (no municipality) = 25.
      count('REFERRALS_SENT', 25),
      // 25 answered or past deadline, 23 in time (N1–N5 after 5 days): complement 2, small.
      suppressed('SHARE_REFERRALS_ANSWERED_IN_TIME'),
      // 24 answered: 1 ×5, 2 ×12, 3, 5 ×5, 20; the 12th and 13th are 2.
      median('MEDIAN_DAYS_TO_FIRST_RESPONSE', 2, 24),
      median('MEDIAN_DAYS_TO_START', 12, 12),
      // Decided: M1's 19 + N1–N5 accepted = 24; not declined 19.
      share('ACCEPTANCE_RATE', 19, 24),
      share('COMPLETION_RATE', 13, 20), // N1–N5 are open: as M1
      suppressed('NO_SHOW_RATE'),
      suppressed('EXPIRY_RATE'), // 1 of 25
      share('SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', 8, 13),
    ]);
    // The trend of P1 is M1's: the referrals sent in T1 all have M1 as municipality.
    expect(p1.referralMetrics![0].trend).toEqual([point('2026-T1', 8), point('2025-T3', 0)]);
    expect(p1.referralBreakdowns!.filter((b) => b.breakdown === 'SENT_BY_LIFE_AREA')).toEqual(lifeAreas({ LANGUAGE: 12, WORK: null, RESIDENCE: null })); // WORK 11 hides RESIDENCE 2
    expect(p1.referralBreakdowns!.filter((b) => b.breakdown === 'SENT_BY_RECEIVER_KIND')).toEqual(
      // immigration office 2 and migration counselling 1 add up to 3 < 5: Jobcenter (10) is hidden with them
      cells('SENT_BY_RECEIVER_KIND', [
        ['IMMIGRATION_OFFICE', null],
        ['JOBCENTER', null],
        ['LANGUAGE_COURSE_PROVIDER', 12],
        ['MIGRATION_COUNSELLING', null],
      ]),
    );
    // P2 sent exactly M3's referrals, P3 exactly M2's.
    const [m3, m2] = await entities([municipality(M3), municipality(M2)]);
    expect(p2.referralMetrics).toEqual(m3.referralMetrics);
    expect(p2.referralBreakdowns).toEqual(m3.referralBreakdowns);
    expect(p3.referralMetrics).toEqual(m2.referralMetrics);
  });
});

describe('distributions over a district', () => {
  it('gives median and quartiles of the shown values of its municipalities and providers', async () => {
    const [d] = await entities([district([M1, M2, M3, M4], [P1, P2, P3])]);
    const expectDistribution = (actual: Distribution[], expected: [string, number | null, number | null, number | null, number][]) => {
      expect(actual.map((a) => a.metric)).toEqual(expected.map((e) => e[0]));
      expected.forEach(([metric, med, lower, upper, counted], i) => {
        expect({ metric, counted }).toEqual({ metric: actual[i].metric, counted: actual[i].counted });
        for (const [value, want] of [
          [actual[i].median, med],
          [actual[i].lowerQuartile, lower],
          [actual[i].upperQuartile, upper],
        ] as const) {
          if (want === null) expect(value).toBeNull();
          else expect(value).toBeCloseTo(want, 12);
        }
      });
    };
    // Municipalities M1, M2 (all suppressed), M3, M4 (empty). Quantiles interpolate like percentile_cont:
    // position (n − 1) · q in the sorted shown values.
    expectDistribution(d.referralDistribution!, [
      ['REFERRALS_SENT', 10, 5, 15, 3], // 0 (M4), 10, 20: positions 1, 0.5, 1.5
      ['SHARE_REFERRALS_ANSWERED_IN_TIME', 1, 1, 1, 1], // M3 only (M1 suppressed, M4 empty)
      ['MEDIAN_DAYS_TO_FIRST_RESPONSE', 3.5, 2.75, 4.25, 2], // 2, 5
      ['MEDIAN_DAYS_TO_START', 16, 14, 18, 2], // 12, 20
      ['ACCEPTANCE_RATE', 47 / 76, 85 / 152, 103 / 152, 2], // 1/2, 14/19: difference 9/38; 1/2 + 9/76, + 9/152, + 27/152
      ['COMPLETION_RATE', 0.575, 0.5375, 0.6125, 2], // 0.5, 0.65
      ['NO_SHOW_RATE', 0, 0, 0, 1], // M3's 0 only
      ['EXPIRY_RATE', 0, 0, 0, 1],
      ['SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', 21 / 26, 37 / 52, 47 / 52, 2], // 8/13, 1: difference 5/13
    ]);
    // Providers P1, P2, P3 (all suppressed).
    expectDistribution(d.referralProviderDistribution!, [
      ['REFERRALS_SENT', 17.5, 13.75, 21.25, 2], // 10, 25
      ['SHARE_REFERRALS_ANSWERED_IN_TIME', 1, 1, 1, 1],
      ['MEDIAN_DAYS_TO_FIRST_RESPONSE', 3.5, 2.75, 4.25, 2],
      ['MEDIAN_DAYS_TO_START', 16, 14, 18, 2],
      ['ACCEPTANCE_RATE', 31 / 48, 55 / 96, 69 / 96, 2], // 1/2, 19/24: difference 7/24
      ['COMPLETION_RATE', 0.575, 0.5375, 0.6125, 2],
      ['NO_SHOW_RATE', 0, 0, 0, 1],
      ['EXPIRY_RATE', 0, 0, 0, 1],
      ['SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', 21 / 26, 37 / 52, 47 / 52, 2],
    ]);
    // No municipality, or only suppressed ones: nothing to count.
    const [empty] = await entities([district([M2], [])]);
    expect(empty.referralDistribution![0]).toEqual({ metric: 'REFERRALS_SENT', median: null, lowerQuartile: null, upperQuartile: null, counted: 0 });
    expect(empty.referralProviderDistribution!.every((v) => v.counted === 0)).toBe(true);
  });
});

describe('privacy, access and cost', () => {
  it('lets coordinators, leads, caseworkers and org admins read the figures, and nobody else', async () => {
    const representations = [municipality(M1), provider(P1), district([M1], [P1])];
    for (const role of [Role.Coordinator, Role.Lead, Role.Caseworker, Role.OrgAdmin]) {
      const [m1] = await entities(representations, await roleToken(demoId('test-org', role), role));
      expect(m1.referralMetrics![0]).toMatchObject({ metric: 'REFERRALS_SENT', value: 20 });
    }
    for (const [token, code] of [
      [await roleToken(RECEIVERS.jobcenter, Role.Partner), 'FORBIDDEN'],
      [await roleToken(DISTRICT, Role.Auditor), 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      // One field at a time (the first error of an entity nulls it and hides the others).
      for (const [type, field, representation] of [
        ['MunicipalityStatistics', 'referralMetrics { metric }', municipality(M1)],
        ['MunicipalityStatistics', 'referralBreakdowns { key }', municipality(M1)],
        ['ProviderStatistics', 'referralMetrics { metric }', provider(P1)],
        ['ProviderStatistics', 'referralBreakdowns { key }', provider(P1)],
        ['DistrictStatistics', 'referralDistribution { metric }', district([M1], [P1])],
        ['DistrictStatistics', 'referralProviderDistribution { metric }', district([M1], [P1])],
      ] as const) {
        const result = await query<{ _entities: (Entity | null)[] }>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${field} } } }`, { r: [representation] }, token);
        expect(result.data?._entities).toEqual([null]);
        expect(result.errors?.map((e) => [e.path?.[2], e.extensions?.code])).toEqual([[field.split(' ')[0], code]]);
      }
    }
  });

  it('shows a municipal app its own municipality’s (and organisation’s) figures only, and no distribution over a list it chose', async () => {
    const [own] = await entities([municipality(M1)], await roleToken(M1, Role.MunicipalApp));
    expect(own.referralMetrics![0]).toMatchObject({ metric: 'REFERRALS_SENT', value: 20 });
    const [asProvider] = await entities([provider(P1)], await roleToken(P1, Role.MunicipalApp));
    expect(asProvider.referralMetrics![0]).toMatchObject({ metric: 'REFERRALS_SENT' });
    const saved = process.env.PARTNERS_URL;
    process.env.PARTNERS_URL = `http://127.0.0.1:${await freePort()}/graphql`;
    try {
      for (const [type, field, representation, code] of [
        ['MunicipalityStatistics', 'referralMetrics { metric value }', municipality(M3), 'FORBIDDEN'],
        ['MunicipalityStatistics', 'referralBreakdowns { key count }', municipality(M3), 'FORBIDDEN'],
        ['ProviderStatistics', 'referralMetrics { metric value }', provider(P2), 'FORBIDDEN'],
        // The district's municipalities come from the partners subgraph, never from the representation: fails closed without it.
        ['DistrictStatistics', 'referralDistribution { metric median }', district([M1, M3], [P1]), 'SERVICE_UNAVAILABLE'],
      ] as const) {
        const result = await query<{ _entities: (Entity | null)[] }>(
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${field} } } }`,
          { r: [representation] },
          await roleToken(M1, Role.MunicipalApp),
        );
        expect(result.data?._entities).toEqual([null]);
        expect(result.errors?.map((e) => [e.path?.[2], e.extensions?.code])).toEqual([[field.split(' ')[0], code]]);
      }
    } finally {
      if (saved === undefined) delete process.env.PARTNERS_URL;
      else process.env.PARTNERS_URL = saved;
    }
  });

  it('refuses periods that are not a tertial or a year, and ids that are not UUIDs', async () => {
    const token = await reader();
    const badPeriod = await query(ENTITIES, { r: [municipality(M1, '2026-T4')] }, token);
    expect(badPeriod.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period', rule: 'isPeriod' });
    const badId = await query(ENTITIES, { r: [provider('not-a-uuid')] }, token);
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'providerId', rule: 'isUuid' });
  });

  it('costs one statement for all metrics and one for all breakdowns, for 2 municipalities as for 10', async () => {
    const token = await reader();
    const statementsFor = async (representations: object[]) => {
      referrals.statements.reset();
      await entities(representations, token);
      const all = [...referrals.statements.statements];
      return {
        total: all.length,
        figures: all.filter((s) => s.includes('statistics_referral_figures')).length,
        breakdowns: all.filter((s) => s.includes('statistics_referral_breakdowns')).length,
        readsReferrals: referrals.statements.selectsFrom('referrals').length,
      };
    };
    const others = Array.from({ length: 8 }, () => randomUUID());
    const two = await statementsFor([municipality(M1), municipality(M2)]);
    const ten = await statementsFor([M1, M2, ...others].map((id) => municipality(id)));
    expect(two).toEqual({ total: ten.total, figures: 1, breakdowns: 1, readsReferrals: 0 });
    expect(ten).toEqual(two);
    // Municipalities, providers and both distributions of a district in one request: still one of each.
    const mixed = await statementsFor([...[M1, M2, M3, M4, ...others].map((id) => municipality(id)), provider(P1), provider(P2), district([M1, M2, M3, M4, ...others], [P1, P2, P3])]);
    expect(mixed).toEqual(two);
  });

  it('keeps the aggregates in SECURITY DEFINER functions the application role may call only with a reader’s context', async () => {
    const functions = await referrals.ownerQuery<{ proname: string; prosecdef: boolean; proconfig: string[]; owner: string; public_execute: boolean }>(
      `SELECT p.proname, p.prosecdef, p.proconfig, pg_get_userbyid(p.proowner) AS owner, has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
         FROM pg_proc p WHERE p.proname LIKE 'statistics_referral_%' ORDER BY p.proname`,
    );
    const [{ table_owner }] = await referrals.ownerQuery<{ table_owner: string }>(`SELECT tableowner AS table_owner FROM pg_tables WHERE tablename = 'referrals'`);
    expect(functions).toEqual(
      ['statistics_referral_breakdowns', 'statistics_referral_figures'].map((proname) => ({
        proname,
        prosecdef: true,
        proconfig: ['search_path=public, pg_temp'],
        owner: table_owner,
        public_execute: false,
      })),
    );
    const client = await referrals.appClient();
    const call = `SELECT figure, n::int, base::int FROM statistics_referral_figures($1::text[], $2::uuid[], $3::text[], $4::date[], $5::date[])
                   WHERE figure IN ('REFERRALS_SENT', 'EXPIRY_RATE') ORDER BY figure`;
    // M1 in 2026-T3 (1 Sep – 31 Dec in German time): Z1 only, sent on 31 Aug 22:30Z.
    const args = [['municipality'], [M1], ['2026-T3'], ['2026-09-01'], ['2027-01-01']];
    try {
      await expect(client.query(call, args)).rejects.toThrow(/statistics need the role/);
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'partner', true)`, [RECEIVERS.jobcenter]);
      await expect(client.query(call, args)).rejects.toThrow(/statistics need the role/);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'coordinator', true)`, [DISTRICT]);
      // The raw rows stay invisible to the application role (row-level security) ...
      expect((await client.query('SELECT count(*)::int AS n FROM referrals')).rows[0].n).toBe(0);
      // ... the function answers with aggregates (unsuppressed: suppression happens before anything leaves the subgraph).
      expect((await client.query(call, args)).rows).toEqual([
        { figure: 'EXPIRY_RATE', n: 0, base: 1 },
        { figure: 'REFERRALS_SENT', n: 1, base: null },
      ]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });

  it('uses the MetricKey names of partners for exactly the metrics referrals computes', async () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'partners', 'src', 'standards', 'metrics.ts'), 'utf8');
    const owned = [...source.matchAll(/\[MetricKey\.(\w+)\]: \{\s*kind: '\w+',\s*subgraph: 'referrals'/g)].map((m) => m[1]);
    const [m1] = await entities([municipality(M1)]);
    expect(m1.referralMetrics!.map((m) => m.metric)).toEqual(owned);
  });

  it('never returns personal data or identifiers of referrals and cases', () => {
    expect(RESPONSES.length).toBeGreaterThan(10);
    const text = RESPONSES.join('\n');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    for (const word of ['snapshot', 'clientData', 'caseId', 'givenName']) expect(text).not.toContain(word);
  });
});
