import {
  createDataSource,
  createLogger,
  DEMO_ORGANIZATIONS,
  demoUserToken,
  GraphQLResponse,
  organizationIdForAgs,
  Role,
  roleToken,
  startTestSubgraph,
  TestSubgraph,
} from '@integration-graph/common';
import { Standard } from '../src/entities/standard';
import { addDays, addYears } from '../src/resolvers/cooperation-validation';
import { todayInGermany } from '../src/resolvers/internal-validation';
import { demoMeetingId, demoStandardId } from '../src/seed/cooperation';
import { evaluateStandard, StandardDirection } from '../src/standards/evaluate';
import { METRIC_KEYS, MetricKey, METRICS } from '../src/standards/metrics';
import { partnersSubgraph } from '../src/subgraph';

/**
 * Cooperation meetings and standards (issue 6, "Standards and meetings"): authenticated reads, writes by the
 * district's own coordinators only, validation naming field and rule, optimistic concurrency, the succession of
 * standards per metric, reporting periods, row-level security in PostgreSQL and DataLoader statement counts.
 */

let partners: TestSubgraph;

const O = DEMO_ORGANIZATIONS;
const DISTRICT = O.ortenaukreis.id;
const GOEPPINGEN = organizationIdForAgs('08117');
const ESSLINGEN = organizationIdForAgs('08116');
const id = (ags: string) => organizationIdForAgs(ags);
const OFFENBURG = id('08317096');
const KEHL = id('08317057');
const LAHR = id('08317065');
const ACHERN = id('08317001');
const HASLACH = id('08317040');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const MEETING = {
  spring2025: demoMeetingId('ortenau-2025-03'),
  autumn2025: demoMeetingId('ortenau-2025-10'),
  spring2026: demoMeetingId('ortenau-2026-03'),
};
const STANDARD = {
  planShare: demoStandardId('ortenau-plan-share'),
  firstPlanDays: demoStandardId('ortenau-first-plan-days'),
  referrals2025: demoStandardId('ortenau-referrals-in-time-2025'),
  referrals2026: demoStandardId('ortenau-referrals-in-time-2026'),
  plansReviewed: demoStandardId('ortenau-plans-reviewed'),
  homeVisits: demoStandardId('ortenau-home-visits'),
};

const coordinator = () => demoUserToken('ortenaukreis-coordinator');
const otherCoordinator = () => roleToken(GOEPPINGEN, Role.Coordinator);
const reader = () => demoUserToken('offenburg-caseworker');

type Errors = GraphQLResponse['errors'];
const codeOf = (errors: Errors) => errors?.[0]?.extensions?.code;

interface Meeting {
  id: string;
  heldOn: string;
  title: string;
  location: string | null;
  minutes: string | null;
  decisions: string[];
  version: number;
  district: { id: string };
  participants: { id: string; name: string }[];
  standardsAdopted: { id: string }[];
}
interface StandardResult {
  id: string;
  title: string;
  metric: string;
  target: number;
  direction: string;
  validFrom: string;
  validUntil: string | null;
  version: number;
  district: { id: string };
  adoptedAt: { id: string; heldOn: string } | null;
}
const MEETING_FIELDS = 'id heldOn title location minutes decisions version district { id } participants { id name } standardsAdopted { id }';
const STANDARD_FIELDS = 'id title metric target direction validFrom validUntil version district { id } adoptedAt { id heldOn }';

const MEETINGS = `query($district: ID!, $from: LocalDate, $to: LocalDate, $first: Int! = 20, $after: String) {
  cooperationMeetings(districtId: $district, from: $from, to: $to, first: $first, after: $after) {
    totalCount edges { cursor node { ${MEETING_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const ONE_MEETING = `query($id: ID!) { cooperationMeeting(id: $id) { ${MEETING_FIELDS} } }`;
const STANDARDS = `query($district: ID!, $at: LocalDate, $period: String) { standards(districtId: $district, at: $at, period: $period) { ${STANDARD_FIELDS} } }`;
const RECORD = `mutation($input: RecordCooperationMeetingInput!) { recordCooperationMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateCooperationMeetingInput!) { updateCooperationMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const ADOPT = `mutation($input: AdoptStandardInput!) { adoptStandard(input: $input) { ${STANDARD_FIELDS} } }`;
const RETIRE = `mutation($input: RetireStandardInput!) { retireStandard(input: $input) { ${STANDARD_FIELDS} } }`;

async function standardIds(variables: Record<string, unknown>, token?: string): Promise<string[]> {
  const result = await partners.graphql<{ standards: StandardResult[] }>(STANDARDS, { district: DISTRICT, ...variables }, token ?? (await reader()));
  expect(result.errors).toBeUndefined();
  return result.data!.standards.map((standard) => standard.id);
}

async function standardRow(standardId: string): Promise<{ valid_until: string | null; version: number; target: string } | undefined> {
  const [row] = await partners.ownerQuery<{ valid_until: string | null; version: number; target: string }>(
    `SELECT valid_until::text, version, target::text FROM standards WHERE id = $1`,
    [standardId],
  );
  return row;
}

async function record(input: Record<string, unknown>, token: string): Promise<Meeting> {
  const result = await partners.graphql<{ recordCooperationMeeting: Meeting }>(RECORD, { input }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.recordCooperationMeeting;
}

const counts = () =>
  partners.ownerQuery(
    `SELECT (SELECT count(*) FROM cooperation_meetings)::int AS meetings, (SELECT count(*) FROM cooperation_meeting_participants)::int AS participants,
            (SELECT count(*) FROM standards)::int AS standards, (SELECT sum(version) FROM standards)::int AS versions`,
  );

beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

describe('demo data', () => {
  it('seeds three Ortenaukreis meetings and six standards, one superseded by a stricter one', async () => {
    const meetings = await partners.ownerQuery(`SELECT id, held_on::text, cardinality(decisions) AS decisions FROM cooperation_meetings ORDER BY held_on`);
    expect(meetings).toEqual([
      { id: MEETING.spring2025, held_on: '2025-03-12', decisions: 3 },
      { id: MEETING.autumn2025, held_on: '2025-10-15', decisions: 2 },
      { id: MEETING.spring2026, held_on: '2026-03-11', decisions: 2 },
    ]);
    const referrals = await partners.ownerQuery(
      `SELECT id, target::float, valid_from::text, valid_until::text FROM standards WHERE metric = 'share_referrals_answered_in_time' ORDER BY valid_from`,
    );
    expect(referrals).toEqual([
      { id: STANDARD.referrals2025, target: 0.75, valid_from: '2025-04-01', valid_until: '2025-12-31' },
      { id: STANDARD.referrals2026, target: 0.85, valid_from: '2026-01-01', valid_until: null },
    ]);
    expect(await partners.ownerQuery(`SELECT count(*)::int AS n FROM standards`)).toEqual([{ n: 6 }]);
  });

  it('seeds idempotently', async () => {
    const snapshot = async () => [
      await partners.ownerQuery(`SELECT id, version FROM cooperation_meetings ORDER BY id`),
      await partners.ownerQuery(`SELECT meeting_id, organization_id FROM cooperation_meeting_participants ORDER BY 1, 2`),
      await partners.ownerQuery(`SELECT id, version FROM standards ORDER BY id`),
    ];
    const before = await snapshot();
    expect(before.map((rows) => rows.length)).toEqual([3, 20, 6]);
    const owner = createDataSource({ url: partners.database.ownerUrl, applicationName: 'seed-again', entities: partnersSubgraph.entities });
    await owner.initialize();
    try {
      await owner.transaction((manager) => partnersSubgraph.seedDemoData!(manager, createLogger('test')));
    } finally {
      await owner.destroy();
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('reading (everyone in the cooperation)', () => {
  it('lists a district’s meetings newest first with participants by name and the standards adopted, for any authenticated caller', async () => {
    for (const token of [await reader(), await demoUserToken('vhs-partner'), await otherCoordinator()]) {
      const result = await partners.graphql<{ cooperationMeetings: { totalCount: number; edges: { node: Meeting }[] } }>(MEETINGS, { district: DISTRICT }, token);
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.cooperationMeetings.edges.map((edge) => edge.node);
      expect(result.data!.cooperationMeetings.totalCount).toBe(3);
      expect(nodes.map((node) => node.id)).toEqual([MEETING.spring2026, MEETING.autumn2025, MEETING.spring2025]);
      const spring2025 = nodes[2];
      expect(spring2025).toMatchObject({ heldOn: '2025-03-12', version: 1, district: { id: DISTRICT }, location: 'Landratsamt Ortenaukreis, Offenburg' });
      expect(spring2025.minutes).toMatch(/Kooperationstreffen|Träger/);
      expect(spring2025.decisions).toHaveLength(3);
      expect(spring2025.participants.map((p) => p.name)).toEqual([
        'Achern',
        'Caritas Offenburg-Kehl (Demo)',
        'Diakonie Ortenau (Demo)',
        'Kehl',
        'Lahr/Schwarzwald',
        'Offenburg',
        'Ortenaukreis',
      ]);
      expect(spring2025.standardsAdopted.map((s) => s.id)).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.referrals2025]);
      expect(nodes[1].participants.map((p) => p.id)).toContain(HASLACH);
    }
  });

  it.each([
    ['cooperationMeetings', MEETINGS, { district: DISTRICT }],
    ['cooperationMeeting', ONE_MEETING, { id: MEETING.spring2025 }],
    ['standards', STANDARDS, { district: DISTRICT }],
  ])('refuses %s to public callers (UNAUTHENTICATED)', async (_name, query, variables) => {
    const result = await partners.graphql(query, variables);
    expect(codeOf(result.errors)).toBe('UNAUTHENTICATED');
    expect(Object.values(result.data ?? {}).every((value) => value === null)).toBe(true);
  });

  it('pages with cursors', async () => {
    const token = await reader();
    const first = await partners.graphql<{ cooperationMeetings: { edges: { node: Meeting }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      MEETINGS,
      { district: DISTRICT, first: 2 },
      token,
    );
    expect(first.data!.cooperationMeetings.edges.map((e) => e.node.id)).toEqual([MEETING.spring2026, MEETING.autumn2025]);
    expect(first.data!.cooperationMeetings.pageInfo.hasNextPage).toBe(true);
    const second = await partners.graphql<{ cooperationMeetings: { edges: { node: Meeting }[]; pageInfo: { hasNextPage: boolean } } }>(
      MEETINGS,
      { district: DISTRICT, first: 2, after: first.data!.cooperationMeetings.pageInfo.endCursor },
      token,
    );
    expect(second.data!.cooperationMeetings.edges.map((e) => e.node.id)).toEqual([MEETING.spring2025]);
    expect(second.data!.cooperationMeetings.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by the days held (from and to inclusive) and refuses to before from', async () => {
    const token = await reader();
    const between = await partners.graphql<{ cooperationMeetings: { totalCount: number; edges: { node: Meeting }[] } }>(
      MEETINGS,
      { district: DISTRICT, from: '2025-10-15', to: '2026-03-10' },
      token,
    );
    expect(between.data!.cooperationMeetings.edges.map((e) => e.node.id)).toEqual([MEETING.autumn2025]);
    const to = await partners.graphql<{ cooperationMeetings: { edges: { node: Meeting }[] } }>(MEETINGS, { district: DISTRICT, to: '2025-03-12' }, token);
    expect(to.data!.cooperationMeetings.edges.map((e) => e.node.id)).toEqual([MEETING.spring2025]);
    const reversed = await partners.graphql(MEETINGS, { district: DISTRICT, from: '2026-01-01', to: '2025-01-01' }, token);
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to', rule: 'endAfterStart' });
  });

  it('lists nothing for another district and refuses an organisation that is not a district', async () => {
    const token = await reader();
    const other = await partners.graphql<{ cooperationMeetings: { totalCount: number } }>(MEETINGS, { district: ESSLINGEN }, token);
    expect(other.data!.cooperationMeetings.totalCount).toBe(0);
    for (const query of [MEETINGS, STANDARDS]) {
      const result = await partners.graphql(query, { district: OFFENBURG }, token);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'districtId', rule: 'isDistrict' });
    }
  });

  it('answers one meeting by id, with its standards pointing back at it; null for an unknown id', async () => {
    const token = await reader();
    const result = await partners.graphql<{ cooperationMeeting: Meeting }>(ONE_MEETING, { id: MEETING.autumn2025 }, token);
    expect(result.data!.cooperationMeeting).toMatchObject({ id: MEETING.autumn2025, heldOn: '2025-10-15' });
    expect(result.data!.cooperationMeeting.standardsAdopted.map((s) => s.id)).toEqual([STANDARD.plansReviewed, STANDARD.referrals2026]);
    const standards = await partners.graphql<{ standards: StandardResult[] }>(STANDARDS, { district: DISTRICT, at: '2026-01-01' }, token);
    expect(standards.data!.standards.find((s) => s.id === STANDARD.referrals2026)).toEqual({
      id: STANDARD.referrals2026,
      title: 'Vermittlungen werden fristgerecht beantwortet (verschärft)',
      metric: 'SHARE_REFERRALS_ANSWERED_IN_TIME',
      target: 0.85,
      direction: 'AT_LEAST',
      validFrom: '2026-01-01',
      validUntil: null,
      version: 1,
      district: { id: DISTRICT },
      adoptedAt: { id: MEETING.autumn2025, heldOn: '2025-10-15' },
    });
    expect((await partners.graphql(ONE_MEETING, { id: UNKNOWN }, token)).data).toEqual({ cooperationMeeting: null });
  });

  it('lists the standards valid on a day, in the order of the metrics; today by default', async () => {
    expect(await standardIds({ at: '2025-03-31' })).toEqual([]);
    expect(await standardIds({ at: '2025-04-01' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.referrals2025]);
    expect(await standardIds({ at: '2025-12-31' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.referrals2025]);
    expect(await standardIds({ at: '2026-01-01' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.plansReviewed, STANDARD.referrals2026]);
    const today = await standardIds({ at: todayInGermany() });
    expect(await standardIds({})).toEqual(today);
    expect(today).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.plansReviewed, STANDARD.homeVisits, STANDARD.referrals2026]);
  });

  it('lists the standards valid at any time in a reporting period (tertial or year)', async () => {
    expect(await standardIds({ period: '2024' })).toEqual([]);
    expect(await standardIds({ period: '2025-T1' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.referrals2025]);
    expect(await standardIds({ period: '2025' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.referrals2025]);
    // The period ends before 2026-01-01: the stricter standard is not part of it.
    expect(await standardIds({ period: '2025-T3' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.referrals2025]);
    expect(await standardIds({ period: '2026-T1' })).toEqual([STANDARD.planShare, STANDARD.firstPlanDays, STANDARD.plansReviewed, STANDARD.referrals2026]);
    expect(await standardIds({ period: '2026' })).toEqual([
      STANDARD.planShare,
      STANDARD.firstPlanDays,
      STANDARD.plansReviewed,
      STANDARD.homeVisits,
      STANDARD.referrals2026,
    ]);
  });

  it('refuses a malformed period, and a day together with a period', async () => {
    const token = await reader();
    const malformed = await partners.graphql(STANDARDS, { district: DISTRICT, period: 'T1-2026' }, token);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period', rule: 'isPeriod' });
    const both = await partners.graphql(STANDARDS, { district: DISTRICT, period: '2026', at: '2026-01-01' }, token);
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period', rule: 'notTogetherWithAt' });
  });

  it('tells whether a standard is valid on a day, both ends inclusive', async () => {
    const result = await partners.graphql<{ standards: { id: string; a: boolean; b: boolean; c: boolean; d: boolean; today: boolean }[] }>(
      `query($district: ID!) { standards(districtId: $district, period: "2025") {
         id a: isValidOn(day: "2025-03-31") b: isValidOn(day: "2025-04-01") c: isValidOn(day: "2025-12-31") d: isValidOn(day: "2026-01-01") today: isValidOn } }`,
      { district: DISTRICT },
      await reader(),
    );
    const superseded = result.data!.standards.find((s) => s.id === STANDARD.referrals2025);
    expect(superseded).toEqual({ id: STANDARD.referrals2025, a: false, b: true, c: true, d: false, today: false });
    expect(result.data!.standards.find((s) => s.id === STANDARD.planShare)).toMatchObject({ a: false, b: true, d: true, today: true });
  });
});

describe('recording cooperation meetings', () => {
  const input = {
    districtId: DISTRICT,
    heldOn: '2026-11-18',
    title: ' Kooperationstreffen Herbst 2026 ',
    location: ' Landratsamt Offenburg ',
    participantIds: [DISTRICT, OFFENBURG, O.caritas.id, OFFENBURG],
    minutes: 'Vergleich der Kennzahlen des zweiten Tertials.',
    decisions: [' Handout künftig eine Woche vorher. '],
  };

  it('lets the district’s coordinator record a meeting with participants and decisions', async () => {
    const meeting = await record(input, await coordinator());
    expect(meeting).toMatchObject({
      heldOn: '2026-11-18',
      title: 'Kooperationstreffen Herbst 2026',
      location: 'Landratsamt Offenburg',
      minutes: 'Vergleich der Kennzahlen des zweiten Tertials.',
      decisions: ['Handout künftig eine Woche vorher.'],
      version: 1,
      district: { id: DISTRICT },
      standardsAdopted: [],
    });
    expect(meeting.participants.map((p) => p.id)).toEqual([O.caritas.id, OFFENBURG, DISTRICT]);
  });

  it('lets another district’s coordinator record meetings of their own district', async () => {
    const meeting = await record({ districtId: GOEPPINGEN, heldOn: '2026-10-01', title: 'Kooperationstreffen Göppingen (Test)' }, await otherCoordinator());
    expect(meeting).toMatchObject({ district: { id: GOEPPINGEN }, participants: [], decisions: [], location: null, minutes: null });
  });

  it.each([
    ['a coordinator of another district', () => otherCoordinator(), 'FORBIDDEN'],
    ['a lead of the district', () => demoUserToken('ortenaukreis-lead'), 'FORBIDDEN'],
    ['a caseworker of the district', () => demoUserToken('ortenaukreis-caseworker'), 'FORBIDDEN'],
    ['an auditor of the district', () => demoUserToken('ortenaukreis-auditor'), 'FORBIDDEN'],
    ['a coordinator of a municipality of the district', () => roleToken(OFFENBURG, Role.Coordinator), 'FORBIDDEN'],
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
  ])('refuses %s and writes nothing', async (_who, token, code) => {
    const before = await counts();
    const result = await partners.graphql(RECORD, { input }, await token());
    expect(codeOf(result.errors)).toBe(code);
    expect(result.data).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a meeting more than a year ahead', () => ({ heldOn: addDays(addYears(todayInGermany(), 1), 1) }), 'input.heldOn', 'notMoreThanAYearAhead'],
    ['a participant that is no organisation', () => ({ participantIds: [DISTRICT, UNKNOWN] }), 'input.participantIds', 'exists'],
    ['a participant id that is not a UUID', () => ({ participantIds: ['offenburg'] }), 'input.participantIds', 'isUuid'],
    ['a district id that is not a UUID', () => ({ districtId: 'ortenau' }), 'input.districtId', 'isUuid'],
  ])('refuses %s, naming field and rule', async (_name, change, field, rule) => {
    const before = await counts();
    const result = await partners.graphql(RECORD, { input: { ...input, ...change() } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await counts()).toEqual(before);
  });

  it('accepts a meeting exactly one year ahead', async () => {
    const heldOn = addYears(todayInGermany(), 1);
    expect((await record({ ...input, heldOn, participantIds: [] }, await coordinator())).heldOn).toBe(heldOn);
  });

  it('refuses an organisation that is not a district (its own coordinator asking)', async () => {
    const result = await partners.graphql(RECORD, { input: { ...input, districtId: OFFENBURG } }, await roleToken(OFFENBURG, Role.Coordinator));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.districtId', rule: 'isDistrict' });
  });

  it.each([
    ['a blank title', { title: '  ' }, [{ field: 'title', rule: 'matches' }]],
    ['a blank decision', { decisions: ['Beschluss', ' '] }, [{ field: 'decisions', rule: 'matches' }]],
    ['a location of more than 200 characters', { location: 'x'.repeat(201) }, [{ field: 'location', rule: 'maxLength' }]],
  ])('refuses %s (class-validator)', async (_name, change, violations) => {
    const result = await partners.graphql(RECORD, { input: { ...input, ...change } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations });
  });
});

describe('updating cooperation meetings', () => {
  let meeting: Meeting;

  beforeAll(async () => {
    meeting = await record(
      { districtId: DISTRICT, heldOn: '2026-07-08', title: 'Sondertreffen Hausbesuche', participantIds: [DISTRICT, KEHL], decisions: ['A'] },
      await coordinator(),
    );
  });

  it('changes fields, replaces participants and decisions, clears the location and bumps the version', async () => {
    const result = await partners.graphql<{ updateCooperationMeeting: Meeting }>(
      UPDATE,
      { input: { id: meeting.id, expectedVersion: 1, title: 'Sondertreffen Hausbesuche (geändert)', participantIds: [LAHR, ACHERN], decisions: ['B', 'C'], location: null } },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateCooperationMeeting).toMatchObject({
      id: meeting.id,
      heldOn: '2026-07-08',
      title: 'Sondertreffen Hausbesuche (geändert)',
      decisions: ['B', 'C'],
      location: null,
      version: 2,
    });
    expect(result.data!.updateCooperationMeeting.participants.map((p) => p.id)).toEqual([ACHERN, LAHR]);
  });

  it('refuses a stale version with CONFLICT and writes nothing, participants included', async () => {
    const result = await partners.graphql(
      UPDATE,
      { input: { id: meeting.id, expectedVersion: 1, title: 'Überschrieben', participantIds: [OFFENBURG] } },
      await coordinator(),
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: 2 });
    expect(await partners.ownerQuery(`SELECT title, version FROM cooperation_meetings WHERE id = $1`, [meeting.id])).toEqual([
      { title: 'Sondertreffen Hausbesuche (geändert)', version: 2 },
    ]);
    const participants = await partners.ownerQuery(`SELECT organization_id FROM cooperation_meeting_participants WHERE meeting_id = $1 ORDER BY 1`, [meeting.id]);
    expect(participants.map((row) => row.organization_id).sort()).toEqual([ACHERN, LAHR].sort());
  });

  it.each([
    ['a coordinator of another district', () => otherCoordinator(), 'FORBIDDEN'],
    ['a lead of the district', () => demoUserToken('ortenaukreis-lead'), 'FORBIDDEN'],
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
  ])('refuses %s and writes nothing', async (_who, token, code) => {
    const result = await partners.graphql(UPDATE, { input: { id: meeting.id, expectedVersion: 2, title: 'Fremd' } }, await token());
    expect(codeOf(result.errors)).toBe(code);
    expect(await partners.ownerQuery(`SELECT title, version FROM cooperation_meetings WHERE id = $1`, [meeting.id])).toEqual([
      { title: 'Sondertreffen Hausbesuche (geändert)', version: 2 },
    ]);
  });

  it('refuses to move a meeting after the first day of a standard adopted at it', async () => {
    const token = await coordinator();
    const later = await partners.graphql(UPDATE, { input: { id: MEETING.spring2025, expectedVersion: 1, heldOn: '2025-04-02' } }, token);
    expect(later.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.heldOn', rule: 'notAfterAdoptedStandards' });
    const tooFar = await partners.graphql(UPDATE, { input: { id: meeting.id, expectedVersion: 2, heldOn: addDays(addYears(todayInGermany(), 1), 1) } }, token);
    expect(tooFar.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.heldOn', rule: 'notMoreThanAYearAhead' });
    // On the first day of its standards is fine.
    const sameDay = await partners.graphql<{ updateCooperationMeeting: Meeting }>(
      UPDATE,
      { input: { id: MEETING.spring2025, expectedVersion: 1, heldOn: '2025-04-01' } },
      token,
    );
    expect(sameDay.data!.updateCooperationMeeting).toMatchObject({ heldOn: '2025-04-01', version: 2 });
    const back = await partners.graphql(UPDATE, { input: { id: MEETING.spring2025, expectedVersion: 2, heldOn: '2025-03-12' } }, token);
    expect(back.errors).toBeUndefined();
  });

  it('reports an unknown meeting as NOT_FOUND', async () => {
    const result = await partners.graphql(UPDATE, { input: { id: UNKNOWN, expectedVersion: 1, title: 'x' } }, await coordinator());
    expect(codeOf(result.errors)).toBe('NOT_FOUND');
  });
});

describe('adopting standards', () => {
  let goeppingenMeeting: Meeting;
  const base = {
    districtId: DISTRICT,
    meetingId: MEETING.spring2026,
    title: 'Test-Standard',
    description: 'Nur für Tests.',
    metric: 'SHARE_GOALS_ACHIEVED',
    target: 0.5,
    direction: 'AT_LEAST',
    validFrom: '2026-06-01',
  };

  beforeAll(async () => {
    goeppingenMeeting = await record({ districtId: GOEPPINGEN, heldOn: '2026-02-04', title: 'Kooperationstreffen Göppingen Frühjahr 2026' }, await otherCoordinator());
  });

  it('closes the open-ended standard for the metric the day before a stricter one applies', async () => {
    const result = await partners.graphql<{ adoptStandard: StandardResult }>(
      ADOPT,
      {
        input: {
          ...base,
          title: 'Integrationsplan für jeden aktiven Fall (verschärft)',
          description: 'Mindestens 95 % der aktiven Fälle haben einen Integrationsplan.',
          metric: 'SHARE_ACTIVE_CASES_WITH_PLAN',
          target: 0.95,
          validFrom: '2027-01-01',
        },
      },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    const adopted = result.data!.adoptStandard;
    expect(adopted).toMatchObject({
      metric: 'SHARE_ACTIVE_CASES_WITH_PLAN',
      target: 0.95,
      direction: 'AT_LEAST',
      validFrom: '2027-01-01',
      validUntil: null,
      version: 1,
      district: { id: DISTRICT },
      adoptedAt: { id: MEETING.spring2026 },
    });
    expect(await standardRow(STANDARD.planShare)).toEqual({ valid_until: '2026-12-31', version: 2, target: '0.9000' });
    expect((await standardIds({ at: '2027-01-01' }))[0]).toBe(adopted.id);
    expect(await standardIds({ at: '2026-12-31' })).toContain(STANDARD.planShare);
    expect(await standardIds({ period: '2026-T3' })).not.toContain(adopted.id);
  });

  it.each([
    ['inside a closed standard', { metric: 'SHARE_REFERRALS_ANSWERED_IN_TIME', meetingId: MEETING.spring2025, validFrom: '2025-06-01', validUntil: '2025-08-31' }],
    ['starting before the open-ended one and reaching into it', { metric: 'MEDIAN_DAYS_TO_FIRST_PLAN', direction: 'AT_MOST', target: 30, meetingId: MEETING.spring2025, validFrom: '2025-03-20', validUntil: '2025-04-30' }],
    ['starting on the same day as the open-ended one', { metric: 'SHARE_HOME_VISITS', validFrom: '2026-05-01' }],
  ])('refuses a real overlap (%s) with rule noOverlap, closing nothing', async (_name, change) => {
    const before = await counts();
    const open = await standardRow(STANDARD.firstPlanDays);
    const result = await partners.graphql(ADOPT, { input: { ...base, ...change } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validFrom', rule: 'noOverlap' });
    expect(await counts()).toEqual(before);
    expect(await standardRow(STANDARD.firstPlanDays)).toEqual(open);
    expect(open).toMatchObject({ valid_until: null, version: 1 });
  });

  it.each([
    ['a share above 1', { target: 1.2 }, 'input.target', 'isShare'],
    ['a negative share', { target: -0.1 }, 'input.target', 'isShare'],
    ['a negative rate', { metric: 'NO_SHOW_RATE', direction: 'AT_MOST', target: -0.01 }, 'input.target', 'isShare'],
    ['negative days', { metric: 'MEDIAN_DAYS_TO_START', direction: 'AT_MOST', target: -1 }, 'input.target', 'min'],
    ['a negative count', { metric: 'REFERRALS_SENT', target: -5 }, 'input.target', 'min'],
    ['a negative ratio', { metric: 'CASES_PER_FULL_TIME_POSITION', direction: 'AT_MOST', target: -1 }, 'input.target', 'min'],
    ['more than 4 decimal places', { target: 0.12345 }, 'input.target', 'maxDecimalPlaces'],
    ['a target too large to store', { metric: 'ACTIVE_CASES', target: 1e9 }, 'input.target', 'max'],
    ['a meeting of another district', { meetingId: 'GOEPPINGEN' }, 'input.meetingId', 'sameDistrict'],
    ['an unknown meeting', { meetingId: UNKNOWN }, 'input.meetingId', 'exists'],
    ['a meeting held after validFrom', { validFrom: '2026-03-10' }, 'input.validFrom', 'notBeforeMeeting'],
    ['validUntil before validFrom', { validUntil: '2026-05-31' }, 'input.validUntil', 'endAfterStart'],
  ])('refuses %s, naming field and rule, and writes nothing', async (_name, change, field, rule) => {
    const before = await counts();
    const input = { ...base, ...change };
    if (input.meetingId === 'GOEPPINGEN') input.meetingId = goeppingenMeeting.id;
    const result = await partners.graphql(ADOPT, { input }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await counts()).toEqual(before);
  });

  it('refuses a blank title and description (class-validator)', async () => {
    const result = await partners.graphql(ADOPT, { input: { ...base, title: ' ', description: '' } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const fields = (result.errors?.[0].extensions?.violations as { field: string }[]).map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'description']));
  });

  it('accepts the bounds: a share of 0 and 1, zero days, a meeting held on validFrom', async () => {
    const token = await otherCoordinator();
    const adopt = (input: Record<string, unknown>) =>
      partners.graphql<{ adoptStandard: StandardResult }>(ADOPT, { input: { ...base, districtId: GOEPPINGEN, meetingId: goeppingenMeeting.id, ...input } }, token);
    const one = await adopt({ metric: 'SHARE_ACTIVE_CASES_WITH_PLAN', target: 1, validFrom: '2026-02-04' });
    expect(one.errors).toBeUndefined();
    expect(one.data!.adoptStandard).toMatchObject({ target: 1, validFrom: '2026-02-04', district: { id: GOEPPINGEN }, adoptedAt: { id: goeppingenMeeting.id } });
    expect((await adopt({ metric: 'EXPIRY_RATE', direction: 'AT_MOST', target: 0 })).errors).toBeUndefined();
    expect((await adopt({ metric: 'MEDIAN_DAYS_TO_FIRST_RESPONSE', direction: 'AT_MOST', target: 0 })).errors).toBeUndefined();
    const precise = await adopt({ metric: 'CASES_PER_FULL_TIME_POSITION', direction: 'AT_MOST', target: 45.1234 });
    expect(precise.data!.adoptStandard.target).toBe(45.1234);
  });

  it('closes only the district’s own standards: another district’s standard for the same metric stays open', async () => {
    const result = await partners.graphql<{ adoptStandard: StandardResult }>(
      ADOPT,
      { input: { ...base, districtId: GOEPPINGEN, meetingId: goeppingenMeeting.id, metric: 'MEDIAN_DAYS_TO_FIRST_PLAN', direction: 'AT_MOST', target: 35, validFrom: '2026-06-01' } },
      await otherCoordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.adoptStandard).toMatchObject({ district: { id: GOEPPINGEN }, validUntil: null });
    expect(await standardRow(STANDARD.firstPlanDays)).toMatchObject({ valid_until: null, version: 1 });
  });

  it.each([
    ['a coordinator of another district', () => otherCoordinator(), 'FORBIDDEN'],
    ['a lead of the district', () => demoUserToken('ortenaukreis-lead'), 'FORBIDDEN'],
    ['a caseworker of the district', () => demoUserToken('ortenaukreis-caseworker'), 'FORBIDDEN'],
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
  ])('refuses %s and writes nothing', async (_who, token, code) => {
    const before = await counts();
    const result = await partners.graphql(ADOPT, { input: { ...base, metric: 'SHARE_CASES_REACHING_LIMIT', direction: 'AT_MOST', target: 0.1 } }, await token());
    expect(codeOf(result.errors)).toBe(code);
    expect(result.data).toBeNull();
    expect(await counts()).toEqual(before);
  });
});

describe('retiring standards', () => {
  let standard: StandardResult;

  beforeAll(async () => {
    const result = await partners.graphql<{ adoptStandard: StandardResult }>(
      ADOPT,
      {
        input: {
          districtId: DISTRICT,
          meetingId: MEETING.spring2026,
          title: 'Sprachkurse mit Erfolg',
          description: 'Mindestens 60 % der abgeschlossenen Sprachkurse erreichen B1 oder höher.',
          metric: 'SHARE_LANGUAGE_COURSES_B1_OR_HIGHER',
          target: 0.6,
          direction: 'AT_LEAST',
          validFrom: '2026-05-01',
        },
      },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    standard = result.data!.adoptStandard;
  });

  it('refuses a stale version with CONFLICT and writes nothing', async () => {
    const result = await partners.graphql(RETIRE, { input: { id: standard.id, expectedVersion: 2, validUntil: '2026-12-31' } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 2, actualVersion: 1 });
    expect(await standardRow(standard.id)).toMatchObject({ valid_until: null, version: 1 });
  });

  it('refuses a last day before the first', async () => {
    const result = await partners.graphql(RETIRE, { input: { id: standard.id, expectedVersion: 1, validUntil: '2026-04-30' } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validUntil', rule: 'endAfterStart' });
  });

  it.each([
    ['a coordinator of another district', () => otherCoordinator(), 'FORBIDDEN'],
    ['a lead of the district', () => demoUserToken('ortenaukreis-lead'), 'FORBIDDEN'],
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
  ])('refuses %s', async (_who, token, code) => {
    const result = await partners.graphql(RETIRE, { input: { id: standard.id, expectedVersion: 1, validUntil: '2026-12-31' } }, await token());
    expect(codeOf(result.errors)).toBe(code);
    expect(await standardRow(standard.id)).toMatchObject({ valid_until: null, version: 1 });
  });

  it('sets the last day and bumps the version', async () => {
    const result = await partners.graphql<{ retireStandard: StandardResult }>(
      RETIRE,
      { input: { id: standard.id, expectedVersion: 1, validUntil: '2026-12-31' } },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.retireStandard).toMatchObject({ id: standard.id, validUntil: '2026-12-31', version: 2 });
    expect(await standardIds({ at: '2027-01-01' })).not.toContain(standard.id);
    expect(await standardIds({ at: '2026-12-31' })).toContain(standard.id);
  });

  it('refuses to extend a standard into its successor (noOverlap)', async () => {
    const result = await partners.graphql(RETIRE, { input: { id: STANDARD.referrals2025, expectedVersion: 1, validUntil: '2026-01-31' } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validUntil', rule: 'noOverlap' });
    expect(await standardRow(STANDARD.referrals2025)).toMatchObject({ valid_until: '2025-12-31', version: 1 });
  });

  it('reports an unknown standard as NOT_FOUND', async () => {
    const result = await partners.graphql(RETIRE, { input: { id: UNKNOWN, expectedVersion: 1, validUntil: '2026-12-31' } }, await coordinator());
    expect(codeOf(result.errors)).toBe('NOT_FOUND');
  });
});

describe('row-level security in PostgreSQL', () => {
  const TABLES = ['cooperation_meetings', 'cooperation_meeting_participants', 'standards'];
  type Query = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;

  /** Runs SQL as the application role inside a transaction with the given context (none when orgId is null); rolls back. */
  async function asApp<T>(orgId: string | null, roles: string, work: (query: Query) => Promise<T>): Promise<T> {
    const client = await partners.appClient();
    try {
      await client.query('BEGIN');
      if (orgId !== null) await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
      return await work(async (sql, params) => {
        const result = await client.query(sql, params);
        return { rows: result.rows, rowCount: result.rowCount };
      });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  }
  const count = async (query: Query, table: string) => (await query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const INSERT_MEETING = `INSERT INTO cooperation_meetings (district_id, held_on, title) VALUES ($1, '2026-12-01', 'RLS') RETURNING id`;
  const INSERT_STANDARD = `INSERT INTO standards (district_id, title, description, metric, target, direction, valid_from)
    VALUES ($1, 'RLS', 'RLS', 'active_cases', 10, 'at_least', '2090-01-01')`;

  it('turns row-level security on and forces it for the owner too, on all three tables', async () => {
    const rows = await partners.ownerQuery(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1::text[]) AND relkind = 'r' ORDER BY relname`,
      [TABLES],
    );
    expect(rows).toEqual([...TABLES].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })));
  });

  it('shows nothing without a context', async () => {
    await asApp(null, '', async (query) => {
      for (const table of TABLES) expect(await count(query, table)).toBe(0);
    });
  });

  it('shows everything to any authenticated caller, who still cannot write', async () => {
    await asApp(OFFENBURG, Role.Caseworker, async (query) => {
      expect(await count(query, 'cooperation_meetings')).toBeGreaterThanOrEqual(3);
      expect(await count(query, 'cooperation_meeting_participants')).toBeGreaterThanOrEqual(20);
      expect(await count(query, 'standards')).toBeGreaterThanOrEqual(6);
      expect((await query(`UPDATE cooperation_meetings SET title = 'x' WHERE district_id = $1`, [DISTRICT])).rowCount).toBe(0);
      await expect(query(INSERT_MEETING, [DISTRICT])).rejects.toThrow(/row-level security/);
    });
  });

  it('does not let a coordinator of another district insert, update or delete the district’s rows', async () => {
    await asApp(GOEPPINGEN, Role.Coordinator, async (query) => {
      expect((await query(`UPDATE cooperation_meetings SET title = 'x' WHERE district_id = $1`, [DISTRICT])).rowCount).toBe(0);
      expect((await query(`UPDATE standards SET valid_until = valid_from WHERE district_id = $1`, [DISTRICT])).rowCount).toBe(0);
      expect((await query(`DELETE FROM cooperation_meeting_participants WHERE meeting_id = $1`, [MEETING.spring2025])).rowCount).toBe(0);
      expect((await query(`DELETE FROM standards WHERE district_id = $1`, [DISTRICT])).rowCount).toBe(0);
    });
    for (const [sql, params] of [
      [INSERT_MEETING, [DISTRICT]],
      [INSERT_STANDARD, [DISTRICT]],
      [`INSERT INTO cooperation_meeting_participants (meeting_id, organization_id) VALUES ($1, $2)`, [MEETING.spring2025, GOEPPINGEN]],
    ] as const) {
      await asApp(GOEPPINGEN, Role.Coordinator, async (query) => {
        await expect(query(sql, [...params])).rejects.toThrow(/row-level security/);
      });
    }
  });

  it('does not let a lead of the district write', async () => {
    await asApp(DISTRICT, Role.Lead, async (query) => {
      await expect(query(INSERT_MEETING, [DISTRICT])).rejects.toThrow(/row-level security/);
    });
  });

  it('lets the district’s coordinator write its own rows, and only of kind district', async () => {
    await asApp(DISTRICT, Role.Coordinator, async (query) => {
      const { rows } = await query(INSERT_MEETING, [DISTRICT]);
      await query(`INSERT INTO cooperation_meeting_participants (meeting_id, organization_id) VALUES ($1, $2)`, [rows[0].id, KEHL]);
      await query(INSERT_STANDARD, [DISTRICT]);
      expect((await query(`UPDATE cooperation_meetings SET title = 'x' WHERE id = $1`, [MEETING.spring2026])).rowCount).toBe(1);
    });
    await asApp(OFFENBURG, Role.Coordinator, async (query) => {
      await expect(query(INSERT_MEETING, [OFFENBURG])).rejects.toThrow(/is not a district/);
    });
  });

  it('keeps the rules in the database for the owner too', async () => {
    await expect(partners.ownerQuery(INSERT_MEETING, [OFFENBURG])).rejects.toThrow(/is not a district/);
    await expect(partners.ownerQuery(INSERT_STANDARD.replace("'2090-01-01'", "'2091-01-01'").replace("'active_cases'", "'unknown_metric'"), [DISTRICT])).rejects.toThrow(
      /standards_metric_known/,
    );
    // One valid standard per district and metric on any day.
    await expect(
      partners.ownerQuery(
        `INSERT INTO standards (district_id, title, description, metric, target, direction, valid_from, valid_until)
         VALUES ($1, 'x', 'x', 'median_days_to_first_plan', 40, 'at_most', '2025-01-01', '2025-04-01')`,
        [DISTRICT],
      ),
    ).rejects.toThrow(/standards_no_overlap/);
    // The adopting meeting belongs to the standard's district.
    const [other] = await partners.ownerQuery<{ id: string }>(`SELECT id FROM cooperation_meetings WHERE district_id = $1 LIMIT 1`, [GOEPPINGEN]);
    await expect(
      partners.ownerQuery(
        `INSERT INTO standards (district_id, title, description, metric, target, direction, valid_from, adopted_at_meeting_id)
         VALUES ($1, 'x', 'x', 'active_cases', 1, 'at_least', '2092-01-01', $2)`,
        [DISTRICT, other.id],
      ),
    ).rejects.toThrow(/standards_adopted_at_meeting_of_district/);
  });

  it('bounds the targets of share metrics to 0..1 in the database, exactly for the metrics of kind share', async () => {
    const refused: string[] = [];
    for (const metric of METRIC_KEYS) {
      try {
        await partners.ownerQuery(
          `INSERT INTO standards (district_id, title, description, metric, target, direction, valid_from, valid_until)
           VALUES ($1, 'x', 'x', $2, 1.5, 'at_least', '2093-01-01', '2093-01-01')`,
          [ESSLINGEN, metric],
        );
      } catch (error) {
        expect(String(error)).toMatch(/standards_target_range/);
        refused.push(metric);
      }
    }
    await partners.ownerQuery(`DELETE FROM standards WHERE valid_from = '2093-01-01'`);
    expect(refused).toEqual(METRIC_KEYS.filter((metric) => METRICS[metric].kind === 'share'));
  });
});

describe('DataLoaders', () => {
  it('costs the same statements for one meeting as for many: one SELECT per table however many meetings, participants and standards', async () => {
    const query = `query($district: ID!, $first: Int!, $to: LocalDate) { cooperationMeetings(districtId: $district, first: $first, to: $to) { edges { node {
      id district { name } participants { name } standardsAdopted { metric district { name } adoptedAt { heldOn } } } } } }`;
    // Both pages hold meetings with participants and adopted standards.
    const measure = async (first: number, to: string) => {
      const token = await reader();
      partners.statements.reset();
      const result = await partners.graphql<{ cooperationMeetings: { edges: { node: Meeting }[] } }>(query, { district: DISTRICT, first, to }, token);
      expect(result.errors).toBeUndefined();
      return {
        nodes: result.data!.cooperationMeetings.edges.length,
        participants: partners.statements.selectsFrom('cooperation_meeting_participants').length,
        standards: partners.statements.selectsFrom('standards').length,
        meetings: partners.statements.selectsFrom('cooperation_meetings').length,
        organizations: partners.statements.selectsFrom('organizations').length,
        total: partners.statements.statements.length,
      };
    };
    const one = await measure(1, '2026-03-11');
    const many = await measure(5, '2026-12-31');
    expect(one.nodes).toBe(1);
    expect(many.nodes).toBe(5);
    expect(many).toMatchObject({ participants: 1, standards: 1, organizations: 2 });
    // count + page + adoptedAt
    expect(many.meetings).toBe(3);
    expect({ ...many, nodes: 0 }).toEqual({ ...one, nodes: 0 });
  });
});

describe('metrics and evaluation', () => {
  it('decides whether a value meets a standard, the target itself included', () => {
    const atLeast = { target: 0.9, direction: StandardDirection.AT_LEAST };
    const atMost = { target: 42, direction: StandardDirection.AT_MOST };
    expect([0.95, 0.9, 0.8999].map((value) => evaluateStandard(atLeast, value))).toEqual([true, true, false]);
    expect([30, 42, 42.5].map((value) => evaluateStandard(atMost, value))).toEqual([true, true, false]);
    expect(evaluateStandard(atLeast, Number.NaN)).toBe(false);
    expect(evaluateStandard(atMost, Number.POSITIVE_INFINITY)).toBe(false);
    const standard = Object.assign(new Standard(), atMost);
    expect([standard.evaluate(41), standard.evaluate(43)]).toEqual([true, false]);
  });

  it('describes every metric with kind, owning subgraph and both languages; stored lower-case', () => {
    expect(Object.keys(MetricKey)).toEqual([
      'ACTIVE_CASES',
      'CASES_PER_FULL_TIME_POSITION',
      'SHARE_ACTIVE_CASES_WITH_PLAN',
      'MEDIAN_DAYS_TO_FIRST_PLAN',
      'SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS',
      'SHARE_GOALS_ACHIEVED',
      'SHARE_HOME_VISITS',
      'SHARE_CASES_REACHING_LIMIT',
      'REFERRALS_SENT',
      'SHARE_REFERRALS_ANSWERED_IN_TIME',
      'MEDIAN_DAYS_TO_FIRST_RESPONSE',
      'MEDIAN_DAYS_TO_START',
      'ACCEPTANCE_RATE',
      'COMPLETION_RATE',
      'NO_SHOW_RATE',
      'EXPIRY_RATE',
      'SHARE_LANGUAGE_COURSES_B1_OR_HIGHER',
    ]);
    for (const [name, value] of Object.entries(MetricKey)) {
      expect(value).toBe(name.toLowerCase());
      const definition = METRICS[value];
      expect(['share', 'count', 'days', 'ratio']).toContain(definition.kind);
      expect(['cases', 'referrals']).toContain(definition.subgraph);
      expect(definition.de.length).toBeGreaterThan(10);
      expect(definition.en.length).toBeGreaterThan(10);
    }
    expect(METRICS[MetricKey.MEDIAN_DAYS_TO_FIRST_PLAN]).toMatchObject({ kind: 'days', subgraph: 'cases' });
    expect(METRICS[MetricKey.CASES_PER_FULL_TIME_POSITION]).toMatchObject({ kind: 'ratio', subgraph: 'cases' });
    expect(METRICS[MetricKey.NO_SHOW_RATE]).toMatchObject({ kind: 'share', subgraph: 'referrals' });
    expect(METRICS[MetricKey.REFERRALS_SENT]).toMatchObject({ kind: 'count', subgraph: 'referrals' });
  });

  it('publishes the metric keys with German and English descriptions in the schema', async () => {
    const result = await partners.graphql<{ __type: { enumValues: { name: string; description: string }[] } }>(
      `{ __type(name: "MetricKey") { enumValues { name description } } }`,
    );
    const values = result.data!.__type.enumValues;
    expect(values.map((value) => value.name)).toEqual(Object.keys(MetricKey));
    const homeVisits = values.find((value) => value.name === 'SHARE_HOME_VISITS')!;
    expect(homeVisits.description).toContain(METRICS[MetricKey.SHARE_HOME_VISITS].en);
    expect(homeVisits.description).toContain(METRICS[MetricKey.SHARE_HOME_VISITS].de);
  });

  it('adds days and years to LocalDates', () => {
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addYears('2026-11-23', 1)).toBe('2027-11-23');
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
  });
});
