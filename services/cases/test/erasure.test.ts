import { randomUUID } from 'node:crypto';
import {
  DEMO_ORGANIZATIONS,
  demoUserToken,
  GraphQLResponse,
  organizationIdForAgs,
  parsePeriod,
  Role,
  roleToken,
  startTestSubgraph,
  TestSubgraph,
} from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';
import { ClientFixture, clientWithEverything, PERSONAL_VALUES, rowsOf, textOf } from './fixtures/client-with-everything';

/*
 * Erasure on request (Art. 17 GDPR): a lead anonymises a client whose cases are all closed, through the same code
 * as the retention job. Every personal value disappears from every table (plan revisions included), the structure
 * the statistics read stays, and the figures of past periods come out exactly the same.
 */

let cases: TestSubgraph;
let caseworker: string;
let lead: string;
let f: ClientFixture;

const O = DEMO_ORGANIZATIONS;
const MUNICIPALITY = organizationIdForAgs('08317005');

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
  caseworker = await demoUserToken('ortenaukreis-caseworker');
  lead = await demoUserToken('ortenaukreis-lead');
  f = await clientWithEverything(cases, caseworker, 'erased', { openedAt: '2025-10-01T09:00:00Z', municipalityId: MUNICIPALITY });
  // A revocation with a note, an extended period and a closure with a note: free text on the consent and the case.
  const revoked = await cases.graphql(`mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id } }`, {
    input: { id: f.sharingConsentId, expectedVersion: 1, note: PERSONAL_VALUES.revocationNote },
  }, caseworker);
  expect(revoked.errors).toBeUndefined();
  const extended = await cases.graphql(`mutation($input: ExtendPeriodInput!) { extendCounsellingPeriod(input: $input) { id } }`, {
    input: { caseId: f.caseId, expectedVersion: await version('cases', f.caseId), until: '2029-06-01', reason: PERSONAL_VALUES.extensionReason },
  }, caseworker);
  expect(extended.errors).toBeUndefined();
});
afterAll(() => cases?.stop());

type Errors = NonNullable<GraphQLResponse['errors']>;
const firstError = (result: GraphQLResponse) => (result.errors as Errors | undefined)?.[0];
const version = async (table: string, id: string) => (await cases.ownerQuery<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0].version;

const ERASE = `mutation($input: EraseClientInput!) { eraseClient(input: $input) {
  clientId reason ground anonymisedAt alreadyAnonymised caseIds consentsRevoked householdAnonymised cleared { entityType count fields } } }`;
type Erasure = {
  clientId: string;
  reason: string;
  ground: string | null;
  anonymisedAt: string;
  alreadyAnonymised: boolean;
  caseIds: string[];
  consentsRevoked: number;
  householdAnonymised: boolean;
  cleared: { entityType: string; count: number; fields: string[] }[];
};

async function close(caseId: string, token = caseworker): Promise<void> {
  const result = await cases.graphql(`mutation($input: CloseCaseInput!) { closeCase(input: $input) { id } }`, {
    input: { caseId, expectedVersion: await version('cases', caseId), reason: 'OTHER', note: PERSONAL_VALUES.closureNote },
  }, token);
  expect(result.errors).toBeUndefined();
}

// ------------------------------------------------------------------------------------------------ statistics

const PERIODS = ['2025-T3', '2026-T1', '2026-T2', '2026-T3', '2025', '2026'].map((label) => parsePeriod(label));
const FUNCTIONS = ['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures'];

/** Every figure of the organisation and the municipality in every period, unsuppressed, as the functions return them. */
async function rawFigures(): Promise<Record<string, unknown>[]> {
  const client = await cases.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'coordinator', true)`, [randomUUID()]);
    const all: Record<string, unknown>[] = [];
    for (const fn of FUNCTIONS) {
      for (const [groupedBy, group] of [
        ['provider', O.ortenaukreis.id],
        ['municipality', MUNICIPALITY],
      ]) {
        const { rows } = await client.query(`SELECT $1::text AS fn, $2::text AS grouped_by, f.* FROM ${fn}($2, $3, $4, $5, $6) f ORDER BY 3, 4, 5, 6`, [
          fn,
          groupedBy,
          PERIODS.map(() => group),
          PERIODS.map((p) => p.label),
          PERIODS.map((p) => p.start),
          PERIODS.map((p) => p.end),
        ]);
        all.push(...rows);
      }
    }
    await client.query('ROLLBACK');
    return all;
  } finally {
    await client.end();
  }
}

/** What the cooperation meeting gets through the graph (suppressed), for the same groups and periods. */
async function publishedFigures(): Promise<unknown> {
  const fields = `caseMetrics { metric value numerator denominator suppressed trend { period value suppressed } } caseBreakdowns { breakdown key count suppressed }`;
  const result = await cases.graphql(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on MunicipalityStatistics { ${fields} } ... on ProviderStatistics { ${fields} } } }`,
    {
      r: PERIODS.flatMap((p) => [
        { __typename: 'MunicipalityStatistics', municipalityId: MUNICIPALITY, period: p.label },
        { __typename: 'ProviderStatistics', providerId: O.ortenaukreis.id, period: p.label, fullTimeEquivalents: 2 },
      ]),
    },
    await roleToken(randomUUID(), Role.Coordinator),
  );
  expect(result.errors).toBeUndefined();
  return result.data;
}

describe('erasing a client on request', () => {
  it('is for the owning organisation’s leads only', async () => {
    const input = { clientId: f.clientId, expectedVersion: await version('clients', f.clientId), reason: 'CONSENT_WITHDRAWN' };
    for (const token of [caseworker, await demoUserToken('ortenaukreis-auditor'), await roleToken(O.ortenaukreis.id, Role.Coordinator)]) {
      expect(firstError(await cases.graphql(ERASE, { input }, token))?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(firstError(await cases.graphql(ERASE, { input }))?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(firstError(await cases.graphql(ERASE, { input }, await roleToken(O.offenburg.id, Role.Lead)))?.extensions?.code).toBe('NOT_FOUND');
  });

  it('is refused while a case of the client is open (close it first), and on a stale version; nothing changes', async () => {
    const before = await rowsOf(cases, f);
    const open = await cases.graphql(ERASE, { input: { clientId: f.clientId, expectedVersion: await version('clients', f.clientId), reason: 'CONSENT_WITHDRAWN' } }, lead);
    expect(firstError(open)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clientId', rule: 'noOpenCase' });
    expect(firstError(open)?.message).toContain(f.caseId);
    await close(f.caseId);
    const closed = await rowsOf(cases, f);
    const stale = await cases.graphql(ERASE, { input: { clientId: f.clientId, expectedVersion: 1, reason: 'CONSENT_WITHDRAWN' } }, lead);
    expect(firstError(stale)?.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: await version('clients', f.clientId) });
    expect(await rowsOf(cases, f)).toEqual(closed);
    expect(before.cases[0].status).toBe('intake');
  });

  it('anonymises the client and everything of their cases, keeps what the statistics read, and the figures stay exactly the same', async () => {
    const personal = Object.values(PERSONAL_VALUES);
    const textBefore = await textOf(cases, f);
    for (const value of personal) expect(textBefore).toContain(value);
    const before = await rowsOf(cases, f);
    const figures = await rawFigures();
    const published = await publishedFigures();
    // The erased client is part of these figures: the organisation's closures in 2026-T3 include its OTHER.
    expect(figures).toContainEqual(
      expect.objectContaining({ fn: 'statistics_case_figures', grouped_by: 'provider', period: '2026-T3', figure: 'closures_by_reason', category: 'other' }),
    );
    expect(figures.filter((row) => row.grouped_by === 'municipality' && row.figure === 'active_cases').map((row) => [row.period, Number(row.n)])).toEqual(
      expect.arrayContaining([['2025-T3', expect.any(Number)]]),
    );

    const clientVersion = await version('clients', f.clientId);
    const result = await cases.graphql<{ eraseClient: Erasure }>(ERASE, { input: { clientId: f.clientId, expectedVersion: clientVersion, reason: 'CONSENT_WITHDRAWN' } }, lead);
    expect(result.errors).toBeUndefined();
    const erasure = result.data!.eraseClient;
    expect(erasure).toEqual({
      clientId: f.clientId,
      reason: 'ERASURE_REQUEST',
      ground: 'CONSENT_WITHDRAWN',
      anonymisedAt: expect.any(String),
      alreadyAnonymised: false,
      caseIds: [f.caseId],
      // The counselling consent was still in force; the data-sharing one had been revoked before.
      consentsRevoked: 1,
      householdAnonymised: true,
      cleared: [
        { entityType: 'Client', count: 1, fields: expect.arrayContaining(['givenName', 'familyName', 'dateOfBirth', 'phone', 'email', 'household']) },
        { entityType: 'Case', count: 1, fields: ['closureNote', 'extensionReason', 'eligibilityOverrideReason', 'idempotencyKey'] },
        { entityType: 'Consent', count: 2, fields: ['revokedAt', 'revocationNote', 'purposes'] },
        { entityType: 'IntegrationPlan', count: 1, fields: expect.arrayContaining(['strengths', 'vocationalQualification', 'germanSkills.certificate']) },
        { entityType: 'Goal', count: 1, fields: ['description'] },
        { entityType: 'Measure', count: 1, fields: ['description'] },
        { entityType: 'Consultation', count: 1, fields: ['note', 'idempotencyKey'] },
        { entityType: 'PlanRevision', count: before.plan_revisions.length, fields: ['summary', 'changes.before', 'changes.after'] },
        { entityType: 'Household', count: 1, fields: ['name'] },
        { entityType: 'HouseholdChild', count: 1, fields: ['givenName', 'dateOfBirth'] },
      ],
    });
    expect(JSON.stringify(erasure)).not.toMatch(/Zuhal|Vertraulich|Geheim|1987-08-23/);

    // Not one personal value is left in any table, plan revisions included.
    const textAfter = await textOf(cases, f);
    for (const value of personal) expect({ value, found: textAfter.includes(value) }).toEqual({ value, found: false });
    const after = await rowsOf(cases, f);
    expect(after.clients[0]).toMatchObject({
      given_name: 'anonymisiert',
      family_name: 'anonymisiert',
      phone: null,
      email: null,
      private_flat_since: null,
      household_id: null,
      anonymisation_reason: 'erasure_request',
      version: clientVersion + 1,
      // Kept: the categories of the client.
      gender: 'female',
      nationalities: ['AF'],
      languages: ['fa', 'ps'],
      residence_status: 'recognised_refugee',
      follow_up_accommodation: 'former',
    });
    const [years] = await cases.ownerQuery(`SELECT date_of_birth::text AS born, arrived_on::text AS arrived FROM clients WHERE id = $1`, [f.clientId]);
    expect(years).toEqual({ born: '1987-01-01', arrived: '2017-01-01' });
    const [childYear] = await cases.ownerQuery(`SELECT given_name, date_of_birth::text AS born FROM household_children WHERE id = $1`, [f.childId]);
    expect(childYear).toEqual({ given_name: 'anonymisiert', born: '2019-01-01' });
    expect(after.plan_revisions.map((r) => r.summary)).toEqual(before.plan_revisions.map(() => 'anonymisiert'));
    for (const revision of after.plan_revisions) {
      for (const change of revision.changes as { before: unknown; after: unknown }[]) expect(change).toMatchObject({ before: null, after: null });
    }
    expect(after.plan_revisions.map((r) => (r.changes as { field: string }[]).map((c) => c.field))).toEqual(
      before.plan_revisions.map((r) => (r.changes as { field: string }[]).map((c) => c.field)),
    );
    expect(after.integration_plans[0].german_skills).toEqual({ reading: { level: 'B1' }, speaking: { level: 'A2' } });
    expect(after.consents.every((c) => c.revoked_at !== null && (c.purposes as string[]).length === 0 && c.revocation_note === null)).toBe(true);

    // What the statistics read is untouched, column by column.
    const keep = (rows: Record<string, unknown>[], columns: string[]) => rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
    const CASE_COLUMNS = ['id', 'owner_organization_id', 'municipality_id', 'program_id', 'status', 'opened_at', 'closed_at', 'closure_reason', 'period_ends_on', 'client_id'];
    expect(keep(after.cases, CASE_COLUMNS)).toEqual(keep(before.cases, CASE_COLUMNS));
    expect(keep(after.goals, ['id', 'case_id', 'plan_id', 'life_area', 'status', 'priority', 'created_at', 'closed_on'])).toEqual(
      keep(before.goals, ['id', 'case_id', 'plan_id', 'life_area', 'status', 'priority', 'created_at', 'closed_on']),
    );
    expect(keep(after.consultations, ['id', 'occurred_at', 'duration_minutes', 'mode', 'life_areas', 'interpreter_used'])).toEqual(
      keep(before.consultations, ['id', 'occurred_at', 'duration_minutes', 'mode', 'life_areas', 'interpreter_used']),
    );
    expect(keep(after.integration_plans, ['id', 'last_reviewed_on', 'next_review_due', 'schooling_years'])).toEqual(
      keep(before.integration_plans, ['id', 'last_reviewed_on', 'next_review_due', 'schooling_years']),
    );
    expect(after.plan_revisions.map((r) => [r.id, r.revision, r.author_user_id, r.created_at])).toEqual(
      before.plan_revisions.map((r) => [r.id, r.revision, r.author_user_id, r.created_at]),
    );
    // And so the figures of every period are exactly what they were, raw and as published.
    expect(await rawFigures()).toEqual(figures);
    expect(await publishedFigures()).toEqual(published);
  });

  it('shows the lead an anonymised client through the graph', async () => {
    const result = await cases.graphql<{ client: Record<string, any> }>(
      `query($id: ID!) { client(id: $id) { givenName familyName dateOfBirth arrivedOn phone email household { id } anonymisedAt anonymisationReason
         cases { closureNote extensionReason consents { isValid purposes revocationNote }
           plan { strengths goals { description measures { description } } revisions(first: 20) { edges { node { summary changedFields { field before after } } } } }
           consultations(first: 5) { edges { node { note mode } } } } } }`,
      { id: f.clientId },
      lead,
    );
    expect(result.errors).toBeUndefined();
    const client = result.data!.client;
    expect(client).toMatchObject({
      givenName: 'anonymisiert',
      familyName: 'anonymisiert',
      dateOfBirth: '1987-01-01',
      arrivedOn: '2017-01-01',
      phone: null,
      email: null,
      household: null,
      anonymisationReason: 'ERASURE_REQUEST',
    });
    expect(client.anonymisedAt).not.toBeNull();
    expect(client.cases[0]).toMatchObject({
      closureNote: null,
      extensionReason: null,
      plan: { strengths: null, goals: [{ description: 'anonymisiert', measures: [{ description: 'anonymisiert' }] }] },
      consultations: { edges: [{ node: { note: null, mode: 'HOME_VISIT' } }] },
    });
    expect(client.cases[0].consents.map((c: { isValid: boolean }) => c.isValid)).toEqual([false, false]);
    expect(JSON.stringify(result.data)).not.toMatch(/Zuhal|Vertraulich|Geheim/);
  });

  it('is safe to retry: the same request reports the earlier anonymisation and changes nothing', async () => {
    const before = await rowsOf(cases, f);
    const first = (await cases.ownerQuery<{ anonymised_at: Date }>(`SELECT anonymised_at FROM clients WHERE id = $1`, [f.clientId]))[0].anonymised_at;
    // With the version the caller sent the first time (it is not compared once the client is anonymised).
    const retry = await cases.graphql<{ eraseClient: Erasure }>(ERASE, { input: { clientId: f.clientId, expectedVersion: 1, reason: 'CONSENT_WITHDRAWN' } }, lead);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.eraseClient).toEqual({
      clientId: f.clientId,
      reason: 'ERASURE_REQUEST',
      ground: 'CONSENT_WITHDRAWN',
      anonymisedAt: first.toISOString(),
      alreadyAnonymised: true,
      caseIds: [f.caseId],
      consentsRevoked: 0,
      householdAnonymised: false,
      cleared: [],
    });
    expect(await rowsOf(cases, f)).toEqual(before);
  });

  it('takes no new case and no change for an anonymised client', async () => {
    const reopened = await cases.graphql(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, { input: { clientId: f.clientId } }, caseworker);
    expect(firstError(reopened)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clientId', rule: 'notAnonymised' });
    const renamed = await cases.graphql(
      `mutation($input: UpdateClientInput!) { updateClient(input: $input) { id } }`,
      { input: { id: f.clientId, expectedVersion: await version('clients', f.clientId), givenName: 'Zuhal' } },
      lead,
    );
    expect(firstError(renamed)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id', rule: 'notAnonymised' });
    expect(firstError(await cases.graphql(`mutation($input: RestrictClientProcessingInput!) { restrictClientProcessing(input: $input) { id } }`, {
      input: { clientId: f.clientId, expectedVersion: await version('clients', f.clientId), reason: 'LEGAL_CLAIMS' },
    }, lead))?.extensions).toMatchObject({ rule: 'notAnonymised' });
    // In PostgreSQL too: an anonymised client row does not change, whoever asks.
    const client = await cases.appClient();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'lead', true)`, [O.ortenaukreis.id]);
      await expect(client.query(`UPDATE clients SET given_name = 'Zuhal' WHERE id = $1`, [f.clientId])).rejects.toThrow(/anonymised/);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  });

  it('revokes the consents still in force (partners lose the snapshot), keeps a household another client still belongs to and only takes the erased client out', async () => {
    const g = await clientWithEverything(cases, caseworker, 'shared-a');
    const h = await clientWithEverything(cases, caseworker, 'shared-b');
    const joined = await cases.graphql(`mutation($input: JoinHouseholdInput!) { joinHousehold(input: $input) { id } }`, {
      input: { clientId: h.clientId, householdId: g.householdId, expectedVersion: await version('clients', h.clientId) },
    }, caseworker);
    expect(joined.errors).toBeUndefined();
    await close(g.caseId);
    // The VHS may still show the snapshot its referral carries; the erasure revokes the consent, and with it the snapshot.
    const vhs = await demoUserToken('vhs-partner');
    const stillValid = async () =>
      (await cases.graphql<{ consentsStillValid: boolean[] }>(`query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`, { ids: [g.sharingConsentId] }, vhs)).data;
    expect(await stillValid()).toEqual({ consentsStillValid: [true] });
    const result = await cases.graphql<{ eraseClient: Erasure }>(ERASE, {
      input: { clientId: g.clientId, expectedVersion: await version('clients', g.clientId), reason: 'NO_LONGER_NECESSARY' },
    }, lead);
    expect(result.errors).toBeUndefined();
    expect(result.data!.eraseClient).toMatchObject({ householdAnonymised: false, consentsRevoked: 2 });
    expect(await stillValid()).toEqual({ consentsStillValid: [false] });
    expect(result.data!.eraseClient.cleared.map((c) => c.entityType)).not.toContain('Household');
    const [household] = await cases.ownerQuery(`SELECT name FROM households WHERE id = $1`, [g.householdId]);
    expect(household).toEqual({ name: 'Familie Vertraulich-Nachname-shared-a' });
    const members = await cases.ownerQuery(`SELECT id FROM clients WHERE household_id = $1`, [g.householdId]);
    expect(members).toEqual([{ id: h.clientId }]);
  });

  it('rolls back as a whole when the request fails: nothing of an erasure in a failing document is kept', async () => {
    const k = await clientWithEverything(cases, caseworker, 'rollback');
    await close(k.caseId);
    const before = await rowsOf(cases, k);
    const result = await cases.graphql(
      `mutation($erase: EraseClientInput!, $bad: UpdateClientInput!) { eraseClient(input: $erase) { clientId } updateClient(input: $bad) { id } }`,
      {
        erase: { clientId: k.clientId, expectedVersion: await version('clients', k.clientId), reason: 'OBJECTION' },
        bad: { id: k.clientId, expectedVersion: 1, phone: '+49 781 2' },
      },
      lead,
    );
    expect(result.errors).toBeDefined();
    expect(await rowsOf(cases, k)).toEqual(before);
  });
});
