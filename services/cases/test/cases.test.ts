import fs from 'node:fs';
import path from 'node:path';
import {
  DEMO_CASES,
  DEMO_ORGANIZATIONS,
  DEMO_USERS,
  demoUserToken,
  organizationIdForAgs,
  printSubgraphSdl,
  Role,
  roleToken,
  startTestSubgraph,
  TestSubgraph,
  testToken,
} from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';

let cases: TestSubgraph;
const O = DEMO_ORGANIZATIONS;
const userId = (handle: string) => DEMO_USERS.find((u) => u.handle === handle)!.id;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
});
afterAll(() => cases?.stop());

type Page<T> = { totalCount: number; edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type CaseView = { id: string; status: string; openedAt: string; version: number; periodEndsOn: string; ownerOrganization: { id: string } };
const CASE_FIELDS = 'id status openedAt version periodEndsOn ownerOrganization { id }';
const OPEN = `mutation($input: OpenCaseInput!) { openCase(input: $input) { ${CASE_FIELDS} client { id givenName } assignments { userId } } }`;

/** A new client in the program's target group; override fields to break one rule. */
const eligibleClient = (overrides: Record<string, unknown> = {}) => ({
  givenName: 'Rania',
  familyName: 'Testfall',
  dateOfBirth: '1990-05-01',
  gender: 'FEMALE',
  nationalities: ['SY'],
  languages: ['ar'],
  arrivedOn: '2016-02-01',
  residenceStatus: 'RECOGNISED_REFUGEE',
  followUpAccommodation: 'CURRENT',
  ...overrides,
});

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await cases.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params))[0].n);

async function openCase(token: string, input: Record<string, unknown> = {}) {
  const result = await cases.graphql<{ openCase: CaseView }>(OPEN, { input: { client: eligibleClient(), ...input } }, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.openCase;
}

describe('cases subgraph', () => {
  it('checks in the schema it serves (run `npm run schema` after changing it)', async () => {
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(await printSubgraphSdl(casesSubgraph)).toBe(checkedIn);
  });
});

describe('reading cases', () => {
  it('refuses callers without a token', async () => {
    const result = await cases.graphql(`{ cases { totalCount } }`);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0].message).toMatch(/Authorization: Bearer/);
  });

  it.each(['jobcenter-partner', 'ortenaukreis-coordinator', 'ortenaukreis-auditor', 'vhs-admin'])('refuses %s (deny by default)', async (handle) => {
    const result = await cases.graphql(`{ cases { totalCount } }`, {}, await demoUserToken(handle));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(result.data).toBeNull();
  });

  it.each([
    ['ortenaukreis-caseworker', O.ortenaukreis.id],
    ['offenburg-caseworker', O.offenburg.id],
  ])('shows %s exactly the own organisation’s cases, newest first, page by page', async (handle, orgId) => {
    const token = await demoUserToken(handle);
    const ids: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const result: { data?: { cases: Page<CaseView> } | null } = await cases.graphql(
        `query($after: String) { cases(first: 4, after: $after) { totalCount edges { node { ${CASE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        token,
      );
      const page = result.data!.cases;
      total = page.totalCount;
      for (const { node } of page.edges) {
        expect(node.ownerOrganization.id).toBe(orgId);
        ids.push(node.id);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const expected = await cases.ownerQuery<{ id: string }>(`SELECT id FROM cases WHERE owner_organization_id = $1 ORDER BY date_trunc('milliseconds', opened_at) DESC, id DESC`, [orgId]);
    expect(ids).toEqual(expected.map((row) => row.id));
    expect(total).toBe(expected.length);
  });

  it('filters by status, municipality, assigned manager, open goals, ending period and overdue review', async () => {
    const token = await demoUserToken('ortenaukreis-lead');
    const ids = async (filter: Record<string, unknown>) =>
      ((await cases.graphql<{ cases: Page<{ id: string }> }>(`query($f: CaseFilter) { cases(filter: $f, first: 100) { edges { node { id } } } }`, { f: filter }, token)).data!
        .cases.edges.map((e) => e.node.id)
        .sort());
    const sql = async (where: string, params: unknown[] = []) =>
      (await cases.ownerQuery<{ id: string }>(`SELECT c.id FROM cases c WHERE c.owner_organization_id = $1 AND ${where} ORDER BY c.id`, [O.ortenaukreis.id, ...params])).map((r) => r.id).sort();

    expect(await ids({ statuses: ['PAUSED'] })).toEqual(await sql(`c.status = 'paused'`));
    const municipality = organizationIdForAgs('08317034');
    expect(await ids({ municipalityId: municipality })).toEqual(await sql(`c.municipality_id = $2`, [municipality]));
    expect(await ids({ assignedTo: userId('ortenaukreis-caseworker') })).toEqual(
      await sql(`EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = $2)`, [userId('ortenaukreis-caseworker')]),
    );
    const [target] = await sql(`c.status = 'active'`);
    await cases.ownerQuery(`UPDATE cases SET period_ends_on = current_date + 10 WHERE id = $1`, [target]);
    expect(await ids({ periodEndingWithinDays: 30 })).toContain(target);
    expect(await ids({ periodEndingWithinDays: 30 })).toEqual(await sql(`c.status <> 'closed' AND c.period_ends_on <= current_date + 30`));
    await cases.ownerQuery(`UPDATE integration_plans SET next_review_due = current_date - 1 WHERE case_id = $1`, [target]);
    expect(await ids({ reviewOverdue: true })).toContain(target);
    expect(await ids({ reviewOverdue: false })).not.toContain(target);
    const plan = (await cases.ownerQuery<{ id: string }>(`SELECT id FROM integration_plans WHERE case_id = $1`, [target]))[0];
    await cases.ownerQuery(
      `INSERT INTO goals (owner_organization_id, plan_id, case_id, life_area, description, priority, status) VALUES ($1, $2, $3, 'housing', 'Eigene Wohnung finden', 'high', 'open')`,
      [O.ortenaukreis.id, plan.id, target],
    );
    expect(await ids({ openGoalsIn: 'HOUSING' })).toEqual(await sql(`EXISTS (SELECT 1 FROM goals g WHERE g.case_id = c.id AND g.life_area = 'housing' AND g.status IN ('open', 'in_progress'))`));
    expect(await ids({ openGoalsIn: 'HOUSING' })).toContain(target);
  });

  it('lists the caller’s own caseload', async () => {
    const result = await cases.graphql<{ myCaseload: Page<{ id: string; assignments: { userId: string }[] }> }>(
      `{ myCaseload(first: 100) { totalCount edges { node { id assignments { userId } } } } }`,
      {},
      await demoUserToken('diakonie-caseworker'),
    );
    expect(result.data!.myCaseload.totalCount).toBeGreaterThan(0);
    for (const { node } of result.data!.myCaseload.edges) expect(node.assignments.map((a) => a.userId)).toContain(userId('diakonie-caseworker'));
  });

  it('costs the same number of SQL statements for a page of 3 and a page of 15 cases', async () => {
    const token = await demoUserToken('ortenaukreis-lead');
    const query = `query($first: Int!) { cases(first: $first) { totalCount edges { node {
      id status periodEndsInDays client { givenName familyName } program { standardMonths } assignments { userId }
      consultations(first: 3) { totalCount edges { node { mode occurredAt } } }
    } } } }`;
    const statementsFor = async (first: number) => {
      cases.statements.reset();
      const result = await cases.graphql<{ cases: Page<unknown> }>(query, { first }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.cases.edges.length).toBe(first);
      return cases.statements.statements.length;
    };
    const small = await statementsFor(3);
    expect(await statementsFor(15)).toBe(small);
  });

  it('returns null for another organisation’s case', async () => {
    const foreign = DEMO_CASES.find((c) => c.ownerOrganizationId === O.offenburg.id)!;
    const result = await cases.graphql(`query($id: ID!) { case(id: $id) { id } }`, { id: foreign.id }, await demoUserToken('ortenaukreis-caseworker'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ case: null });
  });

  it('resolves N case references with one SELECT, only those the caller may see', async () => {
    cases.statements.reset();
    const result = await cases.graphql<{ _entities: ({ id: string } | null)[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id status } } }`,
      { r: DEMO_CASES.map((c) => ({ __typename: 'Case', id: c.id })) },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((e) => e?.id ?? null)).toEqual(DEMO_CASES.map((c) => (c.ownerOrganizationId === O.ortenaukreis.id ? c.id : null)));
    expect(cases.statements.selectsFrom('cases')).toHaveLength(1);
  });
});

describe('row-level security in PostgreSQL', () => {
  const scoped = async (orgId: string | null, roles: string, userIdSetting = '') => {
    const client = await cases.appClient();
    try {
      await client.query('BEGIN');
      if (orgId !== null) {
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true), set_config('app.user_id', $3, true)`, [orgId, roles, userIdSetting]);
      }
      const { rows } = await client.query('SELECT id, owner_organization_id FROM cases');
      await client.query('ROLLBACK');
      return rows as { id: string; owner_organization_id: string }[];
    } finally {
      await client.end();
    }
  };

  it('returns only the caller’s organisation’s rows for a query without WHERE', async () => {
    for (const org of [O.ortenaukreis, O.offenburg]) {
      const rows = await scoped(org.id, Role.Caseworker);
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.owner_organization_id))).toEqual(new Set([org.id]));
    }
  });

  it('returns nothing without a context, with an empty context, or without a case role', async () => {
    expect(await scoped(null, '')).toEqual([]);
    expect(await scoped('', '')).toEqual([]);
    expect(await scoped(O.ortenaukreis.id, Role.Coordinator)).toEqual([]);
  });

  it('the application role cannot switch row-level security off', async () => {
    const client = await cases.appClient();
    try {
      await expect(client.query('ALTER TABLE cases DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
      await expect(client.query('SET row_security = off; SELECT * FROM cases')).rejects.toThrow(/row-level security/);
    } finally {
      await client.end();
    }
  });
});

describe('opening cases', () => {
  it('opens an INTAKE case for an eligible new client, with a plan, a three-year period and the caller assigned', async () => {
    const token = await demoUserToken('diakonie-caseworker');
    const opened = await cases.graphql<{ openCase: CaseView & { client: { givenName: string }; assignments: { userId: string }[] } }>(
      OPEN,
      { input: { client: eligibleClient(), openedAt: '2026-11-02T09:00:00Z', municipalityId: organizationIdForAgs('08317089') } },
      token,
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data!.openCase).toMatchObject({
      status: 'INTAKE',
      version: 1,
      periodEndsOn: '2029-11-02',
      ownerOrganization: { id: O.diakonie.id },
      client: { givenName: 'Rania' },
      assignments: [{ userId: userId('diakonie-caseworker') }],
    });
    const plans = await cases.ownerQuery<{ next_review_due: string }>(
      `SELECT to_char(next_review_due, 'YYYY-MM-DD') AS next_review_due FROM integration_plans WHERE case_id = $1`,
      [opened.data!.openCase.id],
    );
    expect(plans).toEqual([{ next_review_due: '2027-05-02' }]);
    expect(await count('plan_revisions', 'case_id = $1', [opened.data!.openCase.id])).toBe(1);
  });

  it('opens a case for someone displaced from Ukraine with temporary protection outside follow-up accommodation', async () => {
    const view = await openCase(await demoUserToken('offenburg-caseworker'), {
      client: eligibleClient({ nationalities: ['UA'], languages: ['uk'], arrivedOn: '2022-03-15', residenceStatus: 'TEMPORARY_PROTECTION', followUpAccommodation: 'NEVER' }),
    });
    expect(view.status).toBe('INTAKE');
  });

  it.each([
    ['a child', { dateOfBirth: '2012-01-01' }, 'input.client.dateOfBirth', 'adult'],
    ['someone who arrived before 2015', { arrivedOn: '2014-06-30' }, 'input.client.arrivedOn', 'arrivedInProgramPeriod'],
    ['someone with an unknown arrival', { arrivedOn: null }, 'input.client.arrivedOn', 'arrivalKnown'],
    ['someone never in follow-up accommodation without temporary protection', { followUpAccommodation: 'NEVER' }, 'input.client.followUpAccommodation', 'targetGroup'],
  ])('refuses %s, naming the rule, and stores nothing (not even the client)', async (_who, overrides, field, rule) => {
    const before = [await count('cases'), await count('clients')];
    const result = await cases.graphql(OPEN, { input: { client: eligibleClient(overrides) } }, await demoUserToken('ortenaukreis-caseworker'));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(result.errors?.[0].message).toMatch(/eligibilityOverride/);
    expect([await count('cases'), await count('clients')]).toEqual(before);
  });

  it('lets a lead open the case anyway with a recorded reason, but not a caseworker', async () => {
    const input = { client: eligibleClient({ arrivedOn: '2014-06-30' }), eligibilityOverride: { reason: 'Arrived 2014, but placed in follow-up accommodation only in 2016.' } };
    const caseworker = await cases.graphql(OPEN, { input }, await demoUserToken('ortenaukreis-caseworker'));
    expect(caseworker.errors?.[0].extensions).toMatchObject({ field: 'input.eligibilityOverride', rule: 'leadOnly' });
    const lead = await cases.graphql<{ openCase: { id: string } }>(OPEN, { input }, await demoUserToken('ortenaukreis-lead'));
    expect(lead.errors).toBeUndefined();
    const [row] = await cases.ownerQuery(`SELECT eligibility_override_reason, eligibility_overridden_by FROM cases WHERE id = $1`, [lead.data!.openCase.id]);
    expect(row).toEqual({ eligibility_override_reason: input.eligibilityOverride.reason, eligibility_overridden_by: userId('ortenaukreis-lead') });
  });

  it('reuses an existing client (collect once), but not another organisation’s', async () => {
    const [own] = await cases.ownerQuery<{ id: string }>(`SELECT id FROM clients WHERE owner_organization_id = $1 LIMIT 1`, [O.offenburg.id]);
    const view = await cases.graphql<{ openCase: { client: { id: string } } }>(OPEN, { input: { clientId: own.id } }, await demoUserToken('offenburg-caseworker'));
    expect(view.data!.openCase.client.id).toBe(own.id);
    const foreign = await cases.graphql(OPEN, { input: { clientId: own.id } }, await demoUserToken('ortenaukreis-caseworker'));
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const both = await cases.graphql(OPEN, { input: { clientId: own.id, client: eligibleClient() } }, await demoUserToken('offenburg-caseworker'));
    expect(both.errors?.[0].extensions).toMatchObject({ field: 'input.client', rule: 'exactlyOne' });
  });

  it('does not create a duplicate when a request is retried with the same idempotency key', async () => {
    const token = await demoUserToken('offenburg-caseworker');
    const input = { client: eligibleClient({ familyName: 'Wiederholung' }), idempotencyKey: 'retry-0f3a9c21' };
    const [first, second] = await Promise.all([cases.graphql<{ openCase: { id: string } }>(OPEN, { input }, token), cases.graphql<{ openCase: { id: string } }>(OPEN, { input }, token)]);
    expect(first.errors).toBeUndefined();
    expect(second.data!.openCase.id).toBe(first.data!.openCase.id);
    expect(await count('cases', 'idempotency_key = $1', [input.idempotencyKey])).toBe(1);
    expect(await count('clients', `family_name = 'Wiederholung'`)).toBe(1);
  });

  it('names the field and the rule of bad input and stores nothing', async () => {
    const token = await demoUserToken('offenburg-caseworker');
    const before = await count('cases');
    const short = await cases.graphql(OPEN, { input: { client: eligibleClient(), idempotencyKey: 'abc' } }, token);
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'idempotencyKey', rule: 'isLength' }] });
    const future = await cases.graphql(OPEN, { input: { client: eligibleClient(), openedAt: '2099-01-01T00:00:00Z' } }, token);
    expect(future.errors?.[0].extensions).toMatchObject({ field: 'input.openedAt', rule: 'notInFuture' });
    const country = await cases.graphql(OPEN, { input: { client: eligibleClient({ nationalities: ['Syria'] }) } }, token);
    expect(country.errors?.[0].extensions).toMatchObject({ field: 'input.client.nationalities', rule: 'isIso3166Alpha2' });
    const language = await cases.graphql(OPEN, { input: { client: eligibleClient({ languages: ['Arabic'] }) } }, token);
    expect(language.errors?.[0].extensions).toMatchObject({ field: 'input.client.languages', rule: 'isIso639' });
    expect(await count('cases')).toBe(before);
  });

  it('rolls back the whole request when one of its mutations fails', async () => {
    const result = await cases.graphql(
      `mutation($client: NewClientInput!) { a: openCase(input: { client: $client, idempotencyKey: "rollback-7d2e41" }) { id } b: changeCaseStatus(input: { id: "00000000-0000-4000-8000-000000000000", status: ACTIVE, expectedVersion: 1 }) { id } }`,
      { client: eligibleClient({ familyName: 'Rückabwicklung' }) },
      await demoUserToken('offenburg-caseworker'),
    );
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await count('cases', `idempotency_key = 'rollback-7d2e41'`)).toBe(0);
    expect(await count('clients', `family_name = 'Rückabwicklung'`)).toBe(0);
  });
});

describe('the life of a case', () => {
  const CHANGE = `mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { id status version } }`;
  let caseId: string;
  let token: string;
  const version = async () => (await cases.ownerQuery<{ version: number }>(`SELECT version FROM cases WHERE id = $1`, [caseId]))[0].version;

  beforeAll(async () => {
    token = await demoUserToken('ortenaukreis-caseworker');
    caseId = (await openCase(token, { openedAt: '2024-01-15T10:00:00Z' })).id;
  });

  it('moves along allowed transitions and bumps the version', async () => {
    const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'ACTIVE', expectedVersion: 1 } }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ changeCaseStatus: { id: caseId, status: 'ACTIVE', version: 2 } });
  });

  it('refuses a stale version with CONFLICT and keeps the newer change', async () => {
    const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'PAUSED', expectedVersion: 1 } }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: 2 });
    expect(await cases.ownerQuery(`SELECT status, version FROM cases WHERE id = $1`, [caseId])).toEqual([{ status: 'active', version: 2 }]);
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const v = await version();
    const results = await Promise.all([
      cases.graphql(CHANGE, { input: { id: caseId, status: 'PAUSED', expectedVersion: v } }, token),
      cases.graphql(`mutation($input: RestrictCaseInput!) { restrictCase(input: $input) { id } }`, { input: { caseId, expectedVersion: v, restricted: false } }, await demoUserToken('ortenaukreis-lead')),
    ]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(1);
  });

  it('records consultations: validated, idempotent, newest first', async () => {
    const RECORD = `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id mode lifeAreas interpreterLanguage recordedBy } }`;
    const input = { caseId, occurredAt: '2024-02-01T10:00:00Z', durationMinutes: 45, mode: 'HOME_VISIT', lifeAreas: ['HOUSING', 'LANGUAGE'], interpreterUsed: true, interpreterLanguage: 'ar', idempotencyKey: 'visit-2024-02-01' };
    const first = await cases.graphql<{ recordConsultation: { id: string } }>(RECORD, { input }, token);
    expect(first.data!.recordConsultation).toMatchObject({ mode: 'HOME_VISIT', lifeAreas: ['HOUSING', 'LANGUAGE'], interpreterLanguage: 'ar', recordedBy: userId('ortenaukreis-caseworker') });
    const again = await cases.graphql<{ recordConsultation: { id: string } }>(RECORD, { input }, token);
    expect(again.data!.recordConsultation.id).toBe(first.data!.recordConsultation.id);
    await cases.graphql(RECORD, { input: { ...input, occurredAt: '2024-03-01T10:00:00Z', idempotencyKey: undefined, mode: 'OFFICE' } }, token);
    const listed = await cases.graphql<{ case: { consultations: Page<{ mode: string }> } }>(
      `query($id: ID!) { case(id: $id) { consultations(first: 1) { totalCount edges { node { mode } } pageInfo { hasNextPage endCursor } } } }`,
      { id: caseId },
      token,
    );
    expect(listed.data!.case.consultations).toMatchObject({ totalCount: 2, edges: [{ node: { mode: 'OFFICE' } }], pageInfo: { hasNextPage: true } });
    const next = await cases.graphql<{ case: { consultations: Page<{ mode: string }> } }>(
      `query($id: ID!, $after: String) { case(id: $id) { consultations(first: 1, after: $after) { edges { node { mode } } pageInfo { hasNextPage } } } }`,
      { id: caseId, after: listed.data!.case.consultations.pageInfo.endCursor },
      token,
    );
    expect(next.data!.case.consultations).toMatchObject({ edges: [{ node: { mode: 'HOME_VISIT' } }], pageInfo: { hasNextPage: false } });
    for (const [change, field, rule] of [
      [{ occurredAt: '2099-01-01T00:00:00Z' }, 'input.occurredAt', 'notInFuture'],
      [{ occurredAt: '2023-01-01T00:00:00Z' }, 'input.occurredAt', 'afterOpening'],
      [{ interpreterUsed: false }, 'input.interpreterLanguage', 'onlyWithInterpreter'],
    ] as const) {
      const bad = await cases.graphql(RECORD, { input: { ...input, idempotencyKey: undefined, ...change } }, token);
      expect(bad.errors?.[0].extensions).toMatchObject({ field, rule });
    }
    const foreign = await cases.graphql(RECORD, { input: { ...input, idempotencyKey: undefined } }, await demoUserToken('offenburg-caseworker'));
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('extends the counselling period with a reason, at most to four years', async () => {
    const EXTEND = `mutation($input: ExtendPeriodInput!) { extendCounsellingPeriod(input: $input) { periodEndsOn extensionReason version } }`;
    const reason = 'Ausbildung beginnt erst im Herbst, Begleitung nötig.';
    const beyond = await cases.graphql(EXTEND, { input: { caseId, expectedVersion: await version(), until: '2028-01-16', reason } }, token);
    expect(beyond.errors?.[0].extensions).toMatchObject({ field: 'input.until', rule: 'withinMaximum' });
    const short = await cases.graphql(EXTEND, { input: { caseId, expectedVersion: await version(), until: '2027-06-30', reason: 'weil' } }, token);
    expect(short.errors?.[0].extensions).toMatchObject({ violations: [{ field: 'reason', rule: 'isLength' }] });
    const ok = await cases.graphql(EXTEND, { input: { caseId, expectedVersion: await version(), until: '2028-01-15', reason } }, token);
    expect(ok.data!.extendCounsellingPeriod).toMatchObject({ periodEndsOn: '2028-01-15', extensionReason: reason });
  });

  it('lets leads assign managers and restrict the case to them', async () => {
    const lead = await demoUserToken('ortenaukreis-lead');
    const ASSIGN = `mutation($input: AssignCaseInput!) { assignCase(input: $input) { assignments { userId } } }`;
    const byCaseworker = await cases.graphql(ASSIGN, { input: { caseId, expectedVersion: await version(), userIds: ['someone-else'] } }, token);
    expect(byCaseworker.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const assigned = await cases.graphql(ASSIGN, { input: { caseId, expectedVersion: await version(), userIds: ['manager-b'] } }, lead);
    expect(assigned.data).toEqual({ assignCase: { assignments: [{ userId: 'manager-b' }] } });
    await cases.graphql(`mutation($input: RestrictCaseInput!) { restrictCase(input: $input) { id } }`, { input: { caseId, expectedVersion: await version(), restricted: true } }, lead);
    const READ = `query($id: ID!) { case(id: $id) { id } }`;
    expect((await cases.graphql(READ, { id: caseId }, token)).data).toEqual({ case: null });
    expect((await cases.graphql(READ, { id: caseId }, await roleToken(O.ortenaukreis.id, Role.Caseworker))).data).toEqual({ case: null });
    const assignedManager = await testToken({ userId: 'manager-b', organizationId: O.ortenaukreis.id, roles: [Role.Caseworker] });
    expect((await cases.graphql(READ, { id: caseId }, assignedManager)).data).toEqual({ case: { id: caseId } });
    expect((await cases.graphql(READ, { id: caseId }, lead)).data).toEqual({ case: { id: caseId } });
    await cases.graphql(`mutation($input: RestrictCaseInput!) { restrictCase(input: $input) { id } }`, { input: { caseId, expectedVersion: await version(), restricted: false } }, lead);
  });

  it('closes with a reason; a closed case takes no more changes', async () => {
    const CLOSE = `mutation($input: CloseCaseInput!) { closeCase(input: $input) { status closureReason closedAt } }`;
    const viaStatus = await cases.graphql(CHANGE, { input: { id: caseId, status: 'CLOSED', expectedVersion: await version() } }, token);
    expect(viaStatus.errors?.[0].extensions).toMatchObject({ field: 'input.status', rule: 'allowedTransition' });
    const other = await cases.graphql(CLOSE, { input: { caseId, expectedVersion: await version(), reason: 'OTHER' } }, token);
    expect(other.errors?.[0].extensions).toMatchObject({ field: 'input.note', rule: 'requiredForOther' });
    const closed = await cases.graphql<{ closeCase: { status: string; closureReason: string } }>(CLOSE, { input: { caseId, expectedVersion: await version(), reason: 'SELF_RELIANT' } }, token);
    expect(closed.data!.closeCase).toMatchObject({ status: 'CLOSED', closureReason: 'SELF_RELIANT' });
    const again = await cases.graphql(CLOSE, { input: { caseId, expectedVersion: await version(), reason: 'MOVED_AWAY' } }, token);
    expect(again.errors?.[0].extensions).toMatchObject({ field: 'input.caseId', rule: 'caseOpen' });
    const consultation = await cases.graphql(
      `mutation($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }`,
      { input: { caseId, occurredAt: '2024-05-01T10:00:00Z', durationMinutes: 30, mode: 'PHONE', lifeAreas: [] } },
      token,
    );
    expect(consultation.errors?.[0].extensions).toMatchObject({ rule: 'caseOpen' });
  });

  it('does not reveal or change another organisation’s case', async () => {
    const result = await cases.graphql(CHANGE, { input: { id: caseId, status: 'ACTIVE', expectedVersion: 1 } }, await demoUserToken('offenburg-caseworker'));
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
