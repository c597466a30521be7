import { DEMO_ORGANIZATIONS, DEMO_USERS, demoUserToken, GraphQLResponse, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';
import { ClientFixture, clientWithEverything, rowsOf } from './fixtures/client-with-everything';

/*
 * Restriction of processing (Art. 18 GDPR): a lead locks a client while a dispute is open. Caseworkers (the assigned
 * one included) are refused on every path, nobody changes anything but the lift, nothing is shared, leads and
 * auditors of the organisation read it all; the same in PostgreSQL with raw SQL as the application role.
 */

let cases: TestSubgraph;
let caseworker: string; // Mara Keller, Ortenaukreis: opened the fixture's case and is assigned to it
let lead: string; // Jonas Brenner, Ortenaukreis
let auditor: string; // Dr. Petra Lang, Ortenaukreis
let f: ClientFixture; // restricted below
let free: ClientFixture; // another client of the same organisation, never restricted

const O = DEMO_ORGANIZATIONS;
const LEAD = DEMO_USERS.find((u) => u.handle === 'ortenaukreis-lead')!;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
  caseworker = await demoUserToken('ortenaukreis-caseworker');
  lead = await demoUserToken('ortenaukreis-lead');
  auditor = await demoUserToken('ortenaukreis-auditor');
  f = await clientWithEverything(cases, caseworker, 'restricted');
  free = await clientWithEverything(cases, caseworker, 'free');
});
afterAll(() => cases?.stop());

type Errors = NonNullable<GraphQLResponse['errors']>;
const firstError = (result: GraphQLResponse) => (result.errors as Errors | undefined)?.[0];
const version = async (table: string, id: string) => (await cases.ownerQuery<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0].version;

const RESTRICT = `mutation($input: RestrictClientProcessingInput!) { restrictClientProcessing(input: $input) {
  id version processingRestrictedSince processingRestrictionReason processingRestrictionNote processingRestrictedBy } }`;
const LIFT = `mutation($input: LiftClientProcessingRestrictionInput!) { liftClientProcessingRestriction(input: $input) {
  id version processingRestrictedSince processingRestrictionReason processingRestrictionLiftedAt processingRestrictionLiftedBy processingRestrictionLiftNote } }`;

/** Raw SQL as the application role with a request's settings; returns the rows. */
async function asApp<T = Record<string, unknown>>(roles: string, sql: string, params: unknown[] = [], organizationId: string = O.ortenaukreis.id, userId = 'raw-sql'): Promise<T[]> {
  const client = await cases.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true), set_config('app.roles', $3, true)`, [organizationId, userId, roles]);
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

/** The rows of a fixture's client in every table, as the application role with the given roles sees them. */
async function visibleRows(roles: string, fixture: ClientFixture, userId?: string): Promise<Record<string, number>> {
  const tables: Record<string, [string, string]> = {
    clients: ['id', fixture.clientId],
    cases: ['id', fixture.caseId],
    case_assignments: ['case_id', fixture.caseId],
    consents: ['case_id', fixture.caseId],
    integration_plans: ['case_id', fixture.caseId],
    goals: ['case_id', fixture.caseId],
    measures: ['case_id', fixture.caseId],
    plan_revisions: ['case_id', fixture.caseId],
    consultations: ['case_id', fixture.caseId],
    households: ['id', fixture.householdId],
    household_children: ['household_id', fixture.householdId],
  };
  const counts: Record<string, number> = {};
  for (const [table, [column, id]] of Object.entries(tables)) {
    const [row] = await asApp<{ n: number }>(roles, `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [id], O.ortenaukreis.id, userId);
    counts[table] = row.n;
  }
  return counts;
}
const ALL_VISIBLE = { clients: 1, cases: 1, case_assignments: 1, consents: 2, integration_plans: 1, goals: 1, measures: 1, plan_revisions: 5, consultations: 1, households: 1, household_children: 1 };
const NONE_VISIBLE = Object.fromEntries(Object.keys(ALL_VISIBLE).map((table) => [table, 0]));

describe('restricting the processing of a client', () => {
  it('is for leads only, guarded by the client’s version, and records who, when and why', async () => {
    const before = await version('clients', f.clientId);
    const byCaseworker = await cases.graphql(RESTRICT, { input: { clientId: f.clientId, expectedVersion: before, reason: 'ACCURACY_CONTESTED' } }, caseworker);
    expect(firstError(byCaseworker)?.extensions?.code).toBe('FORBIDDEN');
    const foreignLead = await cases.graphql(RESTRICT, { input: { clientId: f.clientId, expectedVersion: before, reason: 'ACCURACY_CONTESTED' } }, await roleToken(O.offenburg.id, Role.Lead));
    expect(firstError(foreignLead)?.extensions?.code).toBe('NOT_FOUND');
    const stale = await cases.graphql(RESTRICT, { input: { clientId: f.clientId, expectedVersion: before - 1, reason: 'ACCURACY_CONTESTED' } }, lead);
    expect(firstError(stale)?.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: before - 1, actualVersion: before });
    expect((await cases.ownerQuery(`SELECT processing_restricted_since FROM clients WHERE id = $1`, [f.clientId]))[0].processing_restricted_since).toBeNull();

    const result = await cases.graphql<{ restrictClientProcessing: Record<string, unknown> }>(
      RESTRICT,
      { input: { clientId: f.clientId, expectedVersion: before, reason: 'ACCURACY_CONTESTED', note: ' Widerspruch vom 20.11.2026 gegen den Aufenthaltsstatus ' } },
      lead,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.restrictClientProcessing).toMatchObject({
      id: f.clientId,
      version: before + 1,
      processingRestrictionReason: 'ACCURACY_CONTESTED',
      processingRestrictionNote: 'Widerspruch vom 20.11.2026 gegen den Aufenthaltsstatus',
      processingRestrictedBy: LEAD.id,
    });
    expect(Date.now() - Date.parse(result.data!.restrictClientProcessing.processingRestrictedSince as string)).toBeLessThan(60_000);

    const again = await cases.graphql(RESTRICT, { input: { clientId: f.clientId, expectedVersion: before + 1, reason: 'LEGAL_CLAIMS' } }, lead);
    expect(firstError(again)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clientId', rule: 'notRestricted' });
  });

  it('refuses caseworkers, the assigned one included, on every read path: FORBIDDEN for the record, nothing in lists', async () => {
    const restricted = { code: 'FORBIDDEN', rule: 'processingRestricted', clientId: f.clientId };
    for (const [query, variables] of [
      [`query($id: ID!) { case(id: $id) { id } }`, { id: f.caseId }],
      [`query($id: ID!) { client(id: $id) { id } }`, { id: f.clientId }],
      [`query($id: ID!) { household(id: $id) { id } }`, { id: f.householdId }],
      [`query($id: ID!, $to: ID!) { referralSnapshot(caseId: $id, recipientOrganizationId: $to) { allowed } }`, { id: f.caseId, to: O.vhs.id }],
      [`query($id: ID!, $to: ID!) { dataSharingConsent(caseId: $id, recipientOrganizationId: $to) { allowed } }`, { id: f.caseId, to: O.vhs.id }],
    ] as const) {
      const result = await cases.graphql(query, variables, caseworker);
      expect(firstError(result)?.extensions).toMatchObject(restricted);
      expect(firstError(result)?.message).toMatch(/restricted \(Art\. 18 GDPR\)/);
    }
    const lists = await cases.graphql<{
      cases: { edges: { node: { id: string } }[] };
      myCaseload: { edges: { node: { id: string } }[] };
      clients: { edges: { node: { id: string } }[] };
      possibleDuplicates: { id: string }[];
      consentRevocations: { id: string }[];
    }>(
      `query($family: String!) { cases(first: 100) { edges { node { id } } } myCaseload(first: 100) { edges { node { id } } }
         clients(first: 100, search: $family) { edges { node { id } } }
         possibleDuplicates(givenName: "Zuhal", familyName: $family) { id }
         consentRevocations(since: "2000-01-01T00:00:00Z") { id } }`,
      { family: 'Vertraulich-Nachname-restricted' },
      caseworker,
    );
    expect(lists.errors).toBeUndefined();
    expect(lists.data!.cases.edges.map((e) => e.node.id)).not.toContain(f.caseId);
    expect(lists.data!.cases.edges.map((e) => e.node.id)).toContain(free.caseId);
    expect(lists.data!.myCaseload.edges.map((e) => e.node.id)).not.toContain(f.caseId);
    expect(lists.data!.clients.edges).toEqual([]);
    expect(lists.data!.possibleDuplicates).toEqual([]);
    const entities = await cases.graphql<{ _entities: unknown[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id } ... on Client { id } } }`,
      { r: [{ __typename: 'Case', id: f.caseId }, { __typename: 'Client', id: f.clientId }, { __typename: 'Case', id: free.caseId }] },
      caseworker,
    );
    expect(entities.data!._entities).toEqual([null, null, { id: free.caseId }]);
  });

  it('lets nobody change anything, leads included: every mutation is FORBIDDEN (processingRestricted) and writes nothing', async () => {
    const before = await rowsOf(cases, f);
    const v = async (table: string, id: string) => version(table, id);
    const mutations: [string, string, () => Promise<Record<string, unknown>>, ('caseworker' | 'lead')[]][] = [
      ['updateClient', 'UpdateClientInput', async () => ({ id: f.clientId, expectedVersion: await v('clients', f.clientId), phone: '+49 781 1' }), ['caseworker', 'lead']],
      ['changeCaseStatus', 'ChangeCaseStatusInput', async () => ({ id: f.caseId, status: 'ACTIVE', expectedVersion: await v('cases', f.caseId) }), ['caseworker', 'lead']],
      ['assignCase', 'AssignCaseInput', async () => ({ caseId: f.caseId, expectedVersion: await v('cases', f.caseId), userIds: ['someone'] }), ['lead']],
      ['restrictCase', 'RestrictCaseInput', async () => ({ caseId: f.caseId, expectedVersion: await v('cases', f.caseId), restricted: true }), ['lead']],
      ['extendCounsellingPeriod', 'ExtendPeriodInput', async () => ({ caseId: f.caseId, expectedVersion: await v('cases', f.caseId), until: '2029-06-01', reason: 'Ausbildung läuft noch' }), ['caseworker', 'lead']],
      ['closeCase', 'CloseCaseInput', async () => ({ caseId: f.caseId, expectedVersion: await v('cases', f.caseId), reason: 'MOVED_AWAY' }), ['caseworker', 'lead']],
      ['recordConsent', 'RecordConsentInput', async () => ({ caseId: f.caseId, kind: 'COUNSELLING', purposes: ['Beratung'], textVersion: 'x', explainedIn: 'fa', givenOn: '2026-02-01' }), ['caseworker', 'lead']],
      ['revokeConsent', 'RevokeConsentInput', async () => ({ id: f.sharingConsentId, expectedVersion: await v('consents', f.sharingConsentId) }), ['caseworker', 'lead']],
      ['recordConsultation', 'RecordConsultationInput', async () => ({ caseId: f.caseId, occurredAt: '2026-02-01T10:00:00Z', durationMinutes: 30, mode: 'PHONE', lifeAreas: [] }), ['caseworker', 'lead']],
      ['updatePlanProfile', 'UpdatePlanProfileInput', async () => ({ planId: f.planId, expectedVersion: await v('integration_plans', f.planId), strengths: 'x' }), ['caseworker', 'lead']],
      ['recordPlanReview', 'RecordPlanReviewInput', async () => ({ planId: f.planId, expectedVersion: await v('integration_plans', f.planId) }), ['caseworker', 'lead']],
      ['addGoal', 'AddGoalInput', async () => ({ planId: f.planId, expectedPlanVersion: await v('integration_plans', f.planId), lifeArea: 'WORK', description: 'x' }), ['caseworker', 'lead']],
      ['updateGoal', 'UpdateGoalInput', async () => ({ id: f.goalId, expectedVersion: await v('goals', f.goalId), status: 'ACHIEVED' }), ['caseworker', 'lead']],
      ['addMeasure', 'AddMeasureInput', async () => ({ goalId: f.goalId, description: 'x', responsible: 'CLIENT' }), ['caseworker', 'lead']],
      ['updateMeasure', 'UpdateMeasureInput', async () => ({ id: f.measureId, expectedVersion: await v('measures', f.measureId), doneOn: '2026-02-01' }), ['caseworker', 'lead']],
      ['createHousehold', 'CreateHouseholdInput', async () => ({ name: 'Neu', memberClientIds: [f.clientId] }), ['caseworker', 'lead']],
      ['joinHousehold', 'JoinHouseholdInput', async () => ({ clientId: free.clientId, householdId: f.householdId, expectedVersion: await v('clients', free.clientId) }), ['caseworker', 'lead']],
      ['leaveHousehold', 'LeaveHouseholdInput', async () => ({ clientId: f.clientId, expectedVersion: await v('clients', f.clientId) }), ['caseworker', 'lead']],
      ['addHouseholdChild', 'AddHouseholdChildInput', async () => ({ householdId: f.householdId, givenName: 'Neu', dateOfBirth: '2020-01-01', careStatus: 'DAYCARE' }), ['caseworker', 'lead']],
      ['updateHouseholdChild', 'UpdateHouseholdChildInput', async () => ({ id: f.childId, expectedVersion: await v('household_children', f.childId), careStatus: 'DAYCARE' }), ['caseworker', 'lead']],
      ['removeHouseholdChild', 'RemoveHouseholdChildInput', async () => ({ id: f.childId, expectedVersion: await v('household_children', f.childId) }), ['caseworker', 'lead']],
      ['openCase', 'OpenCaseInput', async () => ({ clientId: f.clientId }), ['caseworker', 'lead']],
      ['eraseClient', 'EraseClientInput', async () => ({ clientId: f.clientId, expectedVersion: await v('clients', f.clientId), reason: 'OBJECTION' }), ['lead']],
    ];
    const tokens = { caseworker, lead };
    for (const [mutation, inputType, input, roles] of mutations) {
      for (const role of roles) {
        const selection = mutation === 'removeHouseholdChild' ? '' : '{ __typename }'; // returns an ID
        const result = await cases.graphql(`mutation($input: ${inputType}!) { ${mutation}(input: $input) ${selection} }`, { input: await input() }, tokens[role]);
        expect({ mutation, role, extensions: firstError(result)?.extensions }).toEqual({
          mutation,
          role,
          extensions: expect.objectContaining({ code: 'FORBIDDEN', rule: 'processingRestricted', clientId: f.clientId }),
        });
      }
    }
    expect(await rowsOf(cases, f)).toEqual(before);
  });

  it('shows the organisation’s leads and auditors everything of the client; other organisations nothing', async () => {
    const everything = `{ restrictedClients { id givenName processingRestrictionReason
      household { name members { id } children { givenName } }
      cases { id assignments { userId } consents { id purposes } consultations(first: 5) { totalCount edges { node { note } } }
        plan { strengths goals { description measures { description } } revisions(first: 10) { totalCount } } } } }`;
    for (const token of [lead, auditor]) {
      const result = await cases.graphql<{ restrictedClients: Record<string, any>[] }>(everything, {}, token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.restrictedClients).toHaveLength(1);
      const [client] = result.data!.restrictedClients;
      expect(client).toMatchObject({
        id: f.clientId,
        givenName: 'Zuhal',
        processingRestrictionReason: 'ACCURACY_CONTESTED',
        household: { name: 'Familie Vertraulich-Nachname-restricted', members: [{ id: f.clientId }], children: [{ givenName: 'Geheimkind' }] },
      });
      expect(client.cases).toHaveLength(1);
      expect(client.cases[0]).toMatchObject({
        id: f.caseId,
        consultations: { totalCount: 1, edges: [{ node: { note: 'Geheime Notiz: Trennung vom Ehemann' } }] },
        plan: { strengths: 'Geheime Stärke: spricht fünf Sprachen', revisions: { totalCount: 5 } },
      });
      expect(client.cases[0].consents).toHaveLength(2);
      expect(client.cases[0].plan.goals[0].measures[0].description).toBe('Geheime Maßnahme: Bewerbung beim Klinikum');
    }
    // The lead reads it through the usual fields as well; the auditor only through restrictedClients (no case role).
    const byLead = await cases.graphql<{ case: { id: string; client: { id: string } } }>(`query($id: ID!) { case(id: $id) { id client { id } } }`, { id: f.caseId }, lead);
    expect(byLead.data).toEqual({ case: { id: f.caseId, client: { id: f.clientId } } });
    expect(firstError(await cases.graphql(`query($id: ID!) { case(id: $id) { id } }`, { id: f.caseId }, auditor))?.extensions?.code).toBe('FORBIDDEN');
    for (const role of [Role.Caseworker, Role.Partner, Role.Coordinator, Role.OrgAdmin]) {
      expect(firstError(await cases.graphql(`{ restrictedClients { id } }`, {}, await roleToken(O.ortenaukreis.id, role)))?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(firstError(await cases.graphql(`{ restrictedClients { id } }`))?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const role of [Role.Lead, Role.Auditor]) {
      const foreign = await cases.graphql(`{ restrictedClients { id } }`, {}, await roleToken(O.offenburg.id, role));
      expect(foreign.data).toEqual({ restrictedClients: [] });
    }
  });

  it('enforces it in PostgreSQL: raw SQL as the application role', async () => {
    const mara = DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!.id;
    // A caseworker, even the assigned one, sees no row of the restricted client in any table; leads and auditors see all.
    expect(await visibleRows('caseworker', f, mara)).toEqual(NONE_VISIBLE);
    expect(await visibleRows('lead', f)).toEqual(ALL_VISIBLE);
    expect(await visibleRows('auditor', f)).toEqual(ALL_VISIBLE);
    // The unrestricted client: the caseworker sees everything, the auditor nothing (auditors read restricted clients only).
    expect(await visibleRows('caseworker', free, mara)).toEqual(ALL_VISIBLE);
    expect(await visibleRows('auditor', free)).toEqual(NONE_VISIBLE);
    // Another organisation's lead and auditor see nothing.
    for (const roles of ['lead', 'auditor', 'lead,auditor,caseworker']) {
      const [row] = await asApp<{ n: number }>(roles, `SELECT count(*)::int AS n FROM clients WHERE id = $1`, [f.clientId], O.offenburg.id);
      expect(row.n).toBe(0);
    }
    // Writes: nothing changes, whatever the role (an UPDATE finds no row it may change; an INSERT is refused).
    for (const roles of ['caseworker', 'lead', 'auditor', 'lead,caseworker']) {
      expect(await asApp(roles, `UPDATE goals SET description = 'x' WHERE id = $1 RETURNING id`, [f.goalId])).toEqual([]);
      expect(await asApp(roles, `UPDATE cases SET status = 'paused' WHERE id = $1 RETURNING id`, [f.caseId])).toEqual([]);
      expect(await asApp(roles, `DELETE FROM household_children WHERE id = $1 RETURNING id`, [f.childId])).toEqual([]);
      await expect(
        asApp(roles, `INSERT INTO consultations (owner_organization_id, case_id, occurred_at, duration_minutes, mode, recorded_by) VALUES ($1, $2, now(), 10, 'phone', 'x')`, [
          O.ortenaukreis.id,
          f.caseId,
        ]),
      ).rejects.toThrow(/row-level security/);
    }
    expect(await asApp('caseworker', `UPDATE clients SET phone = NULL WHERE id = $1 RETURNING id`, [f.clientId])).toEqual([]);
    // A lead may touch the client row only to lift the restriction.
    await expect(asApp('lead', `UPDATE clients SET phone = NULL WHERE id = $1`, [f.clientId])).rejects.toThrow(/restricted \(Art\. 18 GDPR\)/);
    expect(await asApp('lead', `UPDATE clients SET processing_restricted_since = NULL, processing_restriction_reason = NULL, processing_restricted_by = NULL WHERE id = $1 RETURNING id`, [f.clientId])).toEqual([
      { id: f.clientId },
    ]);
    // Only a lead restricts.
    await expect(
      asApp('caseworker', `UPDATE clients SET processing_restricted_since = now(), processing_restriction_reason = 'legal_claims', processing_restricted_by = 'x' WHERE id = $1`, [free.clientId]),
    ).rejects.toThrow(/row-level security/);
    // All of it was rolled back.
    expect((await cases.ownerQuery(`SELECT processing_restricted_since IS NOT NULL AS restricted FROM clients WHERE id = $1`, [f.clientId]))[0]).toEqual({ restricted: true });
  });

  it('shares nothing: the partner’s consent check answers false while the client is restricted', async () => {
    const vhs = await demoUserToken('vhs-partner');
    const check = async (id: string) =>
      (await cases.graphql<{ consentsStillValid: boolean[] }>(`query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`, { ids: [id] }, vhs)).data!.consentsStillValid;
    expect(await check(f.sharingConsentId)).toEqual([false]);
    expect(await check(free.sharingConsentId)).toEqual([true]);
  });

  it('lifts: leads only, guarded by the version; then caseworkers read and change the client again and partners get their answer back', async () => {
    const current = await version('clients', f.clientId);
    expect(firstError(await cases.graphql(LIFT, { input: { clientId: f.clientId, expectedVersion: current } }, caseworker))?.extensions?.code).toBe('FORBIDDEN');
    expect(firstError(await cases.graphql(LIFT, { input: { clientId: f.clientId, expectedVersion: current + 5 } }, lead))?.extensions).toMatchObject({
      code: 'CONFLICT',
      actualVersion: current,
    });
    const lifted = await cases.graphql<{ liftClientProcessingRestriction: Record<string, unknown> }>(
      LIFT,
      { input: { clientId: f.clientId, expectedVersion: current, note: 'Klientin am 23.11.2026 informiert' } },
      lead,
    );
    expect(lifted.errors).toBeUndefined();
    expect(lifted.data!.liftClientProcessingRestriction).toMatchObject({
      version: current + 1,
      processingRestrictedSince: null,
      processingRestrictionReason: null,
      processingRestrictionLiftedBy: LEAD.id,
      processingRestrictionLiftNote: 'Klientin am 23.11.2026 informiert',
    });
    expect(firstError(await cases.graphql(LIFT, { input: { clientId: f.clientId, expectedVersion: current + 1 } }, lead))?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.clientId',
      rule: 'isRestricted',
    });

    const read = await cases.graphql<{ case: { id: string } }>(`query($id: ID!) { case(id: $id) { id } }`, { id: f.caseId }, caseworker);
    expect(read.data).toEqual({ case: { id: f.caseId } });
    const changed = await cases.graphql<{ updateGoal: { description: string } }>(
      `mutation($input: UpdateGoalInput!) { updateGoal(input: $input) { description } }`,
      { input: { id: f.goalId, expectedVersion: await version('goals', f.goalId), description: 'Ausbildung zur Pflegefachfrau ab Herbst' } },
      caseworker,
    );
    expect(changed.data).toEqual({ updateGoal: { description: 'Ausbildung zur Pflegefachfrau ab Herbst' } });
    expect(await visibleRows('caseworker', f, DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!.id)).toEqual({ ...ALL_VISIBLE, plan_revisions: 6 });
    expect(await visibleRows('auditor', f)).toEqual(NONE_VISIBLE);
    const vhs = await demoUserToken('vhs-partner');
    expect((await cases.graphql(`query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`, { ids: [f.sharingConsentId] }, vhs)).data).toEqual({ consentsStillValid: [true] });
  });
});
