import { createDataSource, DEMO_CASES, DEMO_ORGANIZATIONS, DEMO_USERS, demoId, demoUserToken, GraphQLResponse, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { addMonths, todayInGermany } from '../src/validation';
import { casesSubgraph } from '../src/subgraph';

let cases: TestSubgraph;
let caseworker: string; // Mara Keller, Ortenaukreis
let otherOrg: string; // Aylin Demir, Offenburg

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
  caseworker = await demoUserToken('ortenaukreis-caseworker');
  otherOrg = await demoUserToken('offenburg-caseworker');
});
afterAll(() => cases?.stop());

const MARA = DEMO_USERS.find((u) => u.handle === 'ortenaukreis-caseworker')!;
const ORTENAU = DEMO_ORGANIZATIONS.ortenaukreis.id;
const today = todayInGermany();

type Errors = GraphQLResponse['errors'];

/** Runs a query that must succeed. */
async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token = caseworker): Promise<T> {
  const result = await cases.graphql<T>(query, variables, token);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** Runs a query that must fail; returns its first error's extensions. */
async function fails(query: string, variables: Record<string, unknown> = {}, token = caseworker): Promise<Record<string, unknown>> {
  const result = await cases.graphql(query, variables, token);
  expect(result.errors).toBeDefined();
  return (result.errors as NonNullable<Errors>)[0].extensions ?? {};
}

const UPDATE_PROFILE = `mutation($input: UpdatePlanProfileInput!) { updatePlanProfile(input: $input) { id version schoolingYears highestSchoolingIsced vocationalQualification
  recognitionStatus otherLanguages clientLanguages drivingLicence strengths germanSkills { listening { level certificate } reading { level } writing { level } speaking { level certificate } } } }`;
const ADD_GOAL = `mutation($input: AddGoalInput!) { addGoal(input: $input) { id version lifeArea description priority status targetDate closedOn plan { version } } }`;
const UPDATE_GOAL = `mutation($input: UpdateGoalInput!) { updateGoal(input: $input) { id version description priority status targetDate closedOn plan { version } } }`;
const ADD_MEASURE = `mutation($input: AddMeasureInput!) { addMeasure(input: $input) { id version description responsible partnerOrganization { id } dueOn doneOn isOverdue goal { id } } }`;
const UPDATE_MEASURE = `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id version description responsible partnerOrganization { id } dueOn doneOn } }`;
const REVIEW = `mutation($input: RecordPlanReviewInput!) { recordPlanReview(input: $input) { id version lastReviewedOn nextReviewDue reviewOverdue } }`;
const HISTORY = `query($id: ID!, $first: Int, $after: String) { case(id: $id) { plan { version revisions(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { revision authorUserId summary createdAt changedFields { entity id field before after } } } } } } }`;

type Revision = { revision: number; authorUserId: string; summary: string; changedFields: { entity: string; id: string; field: string; before: unknown; after: unknown }[] };

let clientNumber = 0;
/** Opens a new case (with its empty plan) for a new eligible client of the caller's organisation. */
async function openCase(token = caseworker): Promise<{ caseId: string; planId: string; version: number }> {
  clientNumber += 1;
  const data = await ok<{ openCase: { id: string; plan: { id: string; version: number } } }>(
    `mutation($input: OpenCaseInput!) { openCase(input: $input) { id plan { id version } } }`,
    {
      input: {
        openedAt: '2026-06-01T09:00:00Z',
        client: {
          givenName: 'Test',
          familyName: `Plan-${clientNumber}`,
          dateOfBirth: '1990-05-01',
          gender: 'FEMALE',
          nationalities: ['SY'],
          languages: ['ar', 'en'],
          arrivedOn: '2019-03-01',
          residenceStatus: 'RECOGNISED_REFUGEE',
          followUpAccommodation: 'CURRENT',
        },
      },
    },
    token,
  );
  return { caseId: data.openCase.id, planId: data.openCase.plan.id, version: data.openCase.plan.version };
}

async function history(caseId: string, first = 50): Promise<Revision[]> {
  const data = await ok<{ case: { plan: { revisions: { edges: { node: Revision }[] } } } }>(HISTORY, { id: caseId, first });
  return data.case.plan.revisions.edges.map((e) => e.node);
}

const planRow = async (planId: string) => (await cases.ownerQuery<Record<string, any>>(`SELECT * FROM integration_plans WHERE id = $1`, [planId]))[0];
const revisionNumbers = async (planId: string) =>
  (await cases.ownerQuery<{ revision: number }>(`SELECT revision FROM plan_revisions WHERE plan_id = $1 ORDER BY revision`, [planId])).map((r) => r.revision);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('building and revising a plan, and reading its history back', () => {
  it('records every change as one revision with author and changed fields, and reads the history newest first', async () => {
    const { caseId, planId, version } = await openCase();
    expect(version).toBe(1);

    const profile = await ok(UPDATE_PROFILE, {
      input: {
        planId,
        expectedVersion: 1,
        schoolingYears: 12,
        highestSchoolingIsced: 3,
        vocationalQualification: '  Electrician  ',
        recognitionStatus: 'IN_PROGRESS',
        germanSkills: { listening: { level: 'B1' }, speaking: { level: 'A2', certificate: 'telc Deutsch A2' } },
        otherLanguages: ['fr'],
        drivingLicence: 'B',
      },
    });
    expect(profile.updatePlanProfile).toMatchObject({
      version: 2,
      schoolingYears: 12,
      vocationalQualification: 'Electrician',
      recognitionStatus: 'IN_PROGRESS',
      otherLanguages: ['fr'],
      clientLanguages: ['ar', 'en'],
      germanSkills: { listening: { level: 'B1', certificate: null }, reading: null, writing: null, speaking: { level: 'A2', certificate: 'telc Deutsch A2' } },
    });

    const goal = (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion: 2, lifeArea: 'LANGUAGE', description: 'B1 certificate (DTZ)', targetDate: '2027-06-30' } })).addGoal;
    expect(goal).toMatchObject({ lifeArea: 'LANGUAGE', priority: 'MEDIUM', status: 'OPEN', closedOn: null, version: 1, plan: { version: 3 } });
    const course = (
      await ok(ADD_MEASURE, {
        input: { goalId: goal.id, description: 'Integration course at the VHS', responsible: 'PARTNER', partnerOrganizationId: DEMO_ORGANIZATIONS.vhs.id, dueOn: '2026-09-01' },
      })
    ).addMeasure;
    expect(course).toMatchObject({ responsible: 'PARTNER', partnerOrganization: { id: DEMO_ORGANIZATIONS.vhs.id }, doneOn: null, goal: { id: goal.id } });
    const done = (await ok(UPDATE_MEASURE, { input: { id: course.id, expectedVersion: 1, doneOn: today } })).updateMeasure;
    expect(done).toMatchObject({ version: 2, doneOn: today });
    const achieved = (await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: 1, status: 'ACHIEVED' } })).updateGoal;
    expect(achieved).toMatchObject({ status: 'ACHIEVED', closedOn: today, version: 2, plan: { version: 6 } });
    const reviewed = (await ok(REVIEW, { input: { planId, expectedVersion: 6, reviewedOn: today, note: 'Language goal reached; next: work.' } })).recordPlanReview;
    expect(reviewed).toMatchObject({ version: 7, lastReviewedOn: today, nextReviewDue: addMonths(today, 6), reviewOverdue: false });

    const revisions = await history(caseId);
    expect(revisions.map((r) => r.revision)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(new Set(revisions.map((r) => r.authorUserId))).toEqual(new Set([MARA.id]));
    expect(revisions.map((r) => r.summary)).toEqual([
      `Plan reviewed on ${today}; next review due ${addMonths(today, 6)}`,
      'Goal closed as ACHIEVED (LANGUAGE): B1 certificate (DTZ)',
      `Measure done on ${today} (LANGUAGE goal): Integration course at the VHS`,
      'Measure added (LANGUAGE goal): Integration course at the VHS',
      'Goal added (LANGUAGE): B1 certificate (DTZ)',
      'Profile updated: schoolingYears, highestSchoolingIsced, vocationalQualification, recognitionStatus, drivingLicence, otherLanguages, germanSkills.listening, germanSkills.speaking',
      'Plan created',
    ]);
    const [review, close, measureDone, , , profileRevision] = revisions;
    expect(review.changedFields).toEqual([
      { entity: 'PLAN', id: planId, field: 'lastReviewedOn', before: null, after: today },
      { entity: 'PLAN', id: planId, field: 'nextReviewDue', before: '2026-12-01', after: addMonths(today, 6) },
      { entity: 'PLAN', id: planId, field: 'reviewNote', before: null, after: 'Language goal reached; next: work.' },
    ]);
    expect(close.changedFields).toEqual([
      { entity: 'GOAL', id: goal.id, field: 'status', before: 'OPEN', after: 'ACHIEVED' },
      { entity: 'GOAL', id: goal.id, field: 'closedOn', before: null, after: today },
    ]);
    expect(measureDone.changedFields).toEqual([{ entity: 'MEASURE', id: course.id, field: 'doneOn', before: null, after: today }]);
    expect(profileRevision.changedFields).toContainEqual({ entity: 'PLAN', id: planId, field: 'recognitionStatus', before: null, after: 'IN_PROGRESS' });
    expect(profileRevision.changedFields).toContainEqual({
      entity: 'PLAN',
      id: planId,
      field: 'germanSkills.speaking',
      before: null,
      after: { level: 'A2', certificate: 'telc Deutsch A2' },
    });
    // The plan row, the history and the version agree.
    expect(await revisionNumbers(planId)).toEqual(range(7));
    expect((await planRow(planId)).version).toBe(7);
  });

  it('pages through the history with cursors', async () => {
    const { caseId, planId } = await openCase();
    for (let version = 1; version <= 4; version++) {
      await ok(UPDATE_PROFILE, { input: { planId, expectedVersion: version, schoolingYears: version } });
    }
    type Page = { case: { plan: { revisions: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Revision }[] } } } };
    const first = (await ok<Page>(HISTORY, { id: caseId, first: 2 })).case.plan.revisions;
    expect(first.totalCount).toBe(5);
    expect(first.edges.map((e) => e.node.revision)).toEqual([5, 4]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok<Page>(HISTORY, { id: caseId, first: 2, after: first.pageInfo.endCursor })).case.plan.revisions;
    expect(second.edges.map((e) => e.node.revision)).toEqual([3, 2]);
    const last = (await ok<Page>(HISTORY, { id: caseId, first: 2, after: second.pageInfo.endCursor })).case.plan.revisions;
    expect(last.edges.map((e) => e.node.revision)).toEqual([1]);
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(await fails(HISTORY, { id: caseId, after: 'garbage' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', rule: 'validCursor' });
    expect(await fails(HISTORY, { id: caseId, first: 501 })).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'first', rule: 'max' }] });
  });

  it('keeps omitted fields, clears fields given as null, and records nothing for a change that changes nothing', async () => {
    const { caseId, planId } = await openCase();
    await ok(UPDATE_PROFILE, {
      input: { planId, expectedVersion: 1, schoolingYears: 10, strengths: 'Reliable', germanSkills: { reading: { level: 'A2' }, writing: { level: 'A1' } } },
    });
    const cleared = (await ok(UPDATE_PROFILE, { input: { planId, expectedVersion: 2, strengths: null, germanSkills: { writing: null } } })).updatePlanProfile;
    expect(cleared).toMatchObject({ version: 3, schoolingYears: 10, strengths: null, germanSkills: { reading: { level: 'A2' }, writing: null } });
    const [latest] = await history(caseId, 1);
    expect(latest.changedFields).toEqual([
      { entity: 'PLAN', id: planId, field: 'strengths', before: 'Reliable', after: null },
      { entity: 'PLAN', id: planId, field: 'germanSkills.writing', before: { level: 'A1', certificate: null }, after: null },
    ]);

    // Nothing new: the same values, blank text for an empty field, the same languages in another order.
    const same = (await ok(UPDATE_PROFILE, { input: { planId, expectedVersion: 3, schoolingYears: 10, strengths: '  ', germanSkills: { reading: { level: 'A2' } } } }))
      .updatePlanProfile;
    expect(same.version).toBe(3);
    expect(await revisionNumbers(planId)).toEqual(range(3));
    // ... but a stale version is still a conflict.
    expect(await fails(UPDATE_PROFILE, { input: { planId, expectedVersion: 2, schoolingYears: 10 } })).toMatchObject({ code: 'CONFLICT', expectedVersion: 2, actualVersion: 3 });

    const goal = (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion: 3, lifeArea: 'WORK', description: 'A job' } })).addGoal;
    const unchanged = (await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: 1, description: 'A job', status: 'OPEN' } })).updateGoal;
    expect(unchanged).toMatchObject({ version: 1, plan: { version: 4 } });
    expect(await revisionNumbers(planId)).toEqual(range(4));
  });

  it('collects once: the client’s languages are shown from the client record and not asked again', async () => {
    const { planId } = await openCase();
    expect(await fails(UPDATE_PROFILE, { input: { planId, expectedVersion: 1, otherLanguages: ['fr', 'ar'] } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.otherLanguages',
      rule: 'notOnClient',
    });
    expect(await fails(UPDATE_PROFILE, { input: { planId, expectedVersion: 1, otherLanguages: ['de'] } })).toMatchObject({ field: 'input.otherLanguages', rule: 'notGerman' });
    const plan = (await ok(UPDATE_PROFILE, { input: { planId, expectedVersion: 1, otherLanguages: ['fr', 'ru', 'fr'] } })).updatePlanProfile;
    expect(plan).toMatchObject({ otherLanguages: ['fr', 'ru'], clientLanguages: ['ar', 'en'] });
  });
});

describe('goal status rules', () => {
  let planId: string;
  beforeAll(async () => {
    ({ planId } = await openCase());
  });
  const addGoal = async (description: string) => {
    const expectedPlanVersion = (await planRow(planId)).version;
    return (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion, lifeArea: 'HOUSING', description } })).addGoal as { id: string; version: number };
  };

  it('moves freely between OPEN and IN_PROGRESS; closing sets closedOn to today', async () => {
    const goal = await addGoal('Own flat');
    const started = (await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: 1, status: 'IN_PROGRESS' } })).updateGoal;
    const back = (await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: started.version, status: 'OPEN' } })).updateGoal;
    expect(back).toMatchObject({ status: 'OPEN', closedOn: null });
    for (const status of ['PARTLY_ACHIEVED', 'NOT_ACHIEVED', 'DROPPED']) {
      const other = await addGoal(`Goal to close as ${status}`);
      const closed = (await ok(UPDATE_GOAL, { input: { id: other.id, expectedVersion: 1, status } })).updateGoal;
      expect(closed).toMatchObject({ status, closedOn: today });
    }
  });

  it('keeps a closed goal final until it is reopened explicitly', async () => {
    const goal = await addGoal('Flat found');
    const closed = (await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: 1, status: 'ACHIEVED' } })).updateGoal;
    const revisionsBefore = await revisionNumbers(planId);

    expect(await fails(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: closed.version, status: 'DROPPED' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.status',
      rule: 'allowedTransition',
    });
    expect(await fails(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: closed.version, description: 'Another flat' } })).toMatchObject({
      field: 'input.description',
      rule: 'goalClosed',
    });
    expect(await fails(ADD_MEASURE, { input: { goalId: goal.id, description: 'Viewing', responsible: 'CLIENT' } })).toMatchObject({
      field: 'input.goalId',
      rule: 'goalClosed',
    });
    expect(await revisionNumbers(planId)).toEqual(revisionsBefore);

    const reopened = (await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: closed.version, status: 'IN_PROGRESS', description: 'Bigger flat' } })).updateGoal;
    expect(reopened).toMatchObject({ status: 'IN_PROGRESS', closedOn: null, description: 'Bigger flat' });
    const [latest] = await history((await planRow(planId)).case_id, 1);
    expect(latest.summary).toBe('Goal reopened as IN_PROGRESS (HOUSING): Bigger flat');
    expect(latest.changedFields.map((c) => [c.field, c.before, c.after])).toEqual([
      ['description', 'Flat found', 'Bigger flat'],
      ['status', 'ACHIEVED', 'IN_PROGRESS'],
      ['closedOn', today, null],
    ]);
  });

  it('keeps measures of a closed goal as they are', async () => {
    const goal = await addGoal('Housing benefit');
    const measure = (await ok(ADD_MEASURE, { input: { goalId: goal.id, description: 'Apply', responsible: 'CLIENT' } })).addMeasure;
    await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: 1, status: 'DROPPED' } });
    expect(await fails(UPDATE_MEASURE, { input: { id: measure.id, expectedVersion: 1, doneOn: today } })).toMatchObject({ field: 'input.id', rule: 'goalClosed' });
  });
});

describe('validation: every rule names the field and the rule, and nothing is written', () => {
  let caseId: string;
  let planId: string;
  let goalId: string;
  let measureId: string;
  beforeAll(async () => {
    ({ caseId, planId } = await openCase());
    goalId = (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion: 1, lifeArea: 'WORK', description: 'A job' } })).addGoal.id;
    measureId = (await ok(ADD_MEASURE, { input: { goalId, description: 'CV', responsible: 'INTEGRATION_MANAGER' } })).addMeasure.id;
  });

  it.each([
    ['ISCED above 8', UPDATE_PROFILE, { highestSchoolingIsced: 9 }, { violations: [{ field: 'highestSchoolingIsced', rule: 'max' }] }],
    ['negative schooling years', UPDATE_PROFILE, { schoolingYears: -1 }, { violations: [{ field: 'schoolingYears', rule: 'min' }] }],
    ['a certificate of 201 characters', UPDATE_PROFILE, { germanSkills: { speaking: { level: 'B1', certificate: 'x'.repeat(201) } } }, { violations: [{ field: 'germanSkills.speaking.certificate', rule: 'maxLength' }] }],
    ['a language name instead of a code', UPDATE_PROFILE, { otherLanguages: ['French'] }, { field: 'input.otherLanguages', rule: 'isIso639' }],
    ['a version below 1', UPDATE_PROFILE, { expectedVersion: 0 }, { violations: [{ field: 'expectedVersion', rule: 'min' }] }],
    ['a plan id that is no UUID', UPDATE_PROFILE, { planId: 'plan-1' }, { field: 'input.planId', rule: 'isUuid' }],
    ['a review in the future', REVIEW, { reviewedOn: '2099-01-01' }, { field: 'input.reviewedOn', rule: 'notInFuture' }],
    ['a review before the case was opened', REVIEW, { reviewedOn: '2026-05-31' }, { field: 'input.reviewedOn', rule: 'notBeforeOpening' }],
  ])('plan: %s', async (_name, mutation, change, expected) => {
    const input = { planId, expectedVersion: (await planRow(planId)).version, ...change };
    expect(await fails(mutation, { input })).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
  });

  it.each([
    ['a blank description', ADD_GOAL, { description: '   ' }, { field: 'input.description', rule: 'notBlank' }],
    ['an empty description', ADD_GOAL, { description: '' }, { violations: [{ field: 'description', rule: 'isLength' }] }],
    ['a plan that does not exist', ADD_GOAL, { planId: '00000000-0000-4000-8000-000000000000' }, { code: 'NOT_FOUND' }],
  ])('addGoal: %s', async (_name, mutation, change, expected) => {
    const input = { planId, expectedPlanVersion: (await planRow(planId)).version, lifeArea: 'HEALTH', description: 'Family doctor', ...change };
    expect(await fails(mutation, { input })).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
  });

  it.each([
    ['priority cleared', { priority: null }, { field: 'input.priority', rule: 'notNull' }],
    ['status cleared', { status: null }, { field: 'input.status', rule: 'notNull' }],
    ['a goal id that is no UUID', { id: 'goal-1' }, { field: 'input.id', rule: 'isUuid' }],
  ])('updateGoal: %s', async (_name, change, expected) => {
    expect(await fails(UPDATE_GOAL, { input: { id: goalId, expectedVersion: 1, ...change } })).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
  });

  it.each([
    ['PARTNER without a partner', { responsible: 'PARTNER' }, { field: 'input.partnerOrganizationId', rule: 'requiredForPartner' }],
    ['CLIENT with a partner', { responsible: 'CLIENT', partnerOrganizationId: DEMO_ORGANIZATIONS.jobcenter.id }, { field: 'input.partnerOrganizationId', rule: 'onlyForPartner' }],
    ['a partner id that is no UUID', { responsible: 'PARTNER', partnerOrganizationId: 'jobcenter' }, { field: 'input.partnerOrganizationId', rule: 'isUuid' }],
    ['a blank description', { responsible: 'CLIENT', description: ' ' }, { field: 'input.description', rule: 'notBlank' }],
  ])('addMeasure: %s', async (_name, change, expected) => {
    expect(await fails(ADD_MEASURE, { input: { goalId, description: 'Register', ...change } })).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
  });

  it.each([
    ['done in the future', { doneOn: '2099-01-01' }, { field: 'input.doneOn', rule: 'notInFuture' }],
    ['handed to a partner without naming it', { responsible: 'PARTNER' }, { field: 'input.partnerOrganizationId', rule: 'requiredForPartner' }],
    ['responsible cleared', { responsible: null }, { field: 'input.responsible', rule: 'notNull' }],
  ])('updateMeasure: %s', async (_name, change, expected) => {
    expect(await fails(UPDATE_MEASURE, { input: { id: measureId, expectedVersion: 1, ...change } })).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
  });

  it('wrote nothing for any of the refused changes', async () => {
    expect(await revisionNumbers(planId)).toEqual(range(3));
    expect((await planRow(planId)).version).toBe(3);
    expect(await cases.ownerQuery(`SELECT version FROM goals WHERE plan_id = $1`, [planId])).toEqual([{ version: 1 }]);
    expect(await cases.ownerQuery(`SELECT version, done_on FROM measures WHERE goal_id = $1`, [goalId])).toEqual([{ version: 1, done_on: null }]);
  });

  it('hands a partner’s measure to someone else and lets go of the partner', async () => {
    const measure = (await ok(ADD_MEASURE, { input: { goalId, description: 'Job fair', responsible: 'PARTNER', partnerOrganizationId: DEMO_ORGANIZATIONS.jobcenter.id } })).addMeasure;
    const handed = (await ok(UPDATE_MEASURE, { input: { id: measure.id, expectedVersion: 1, responsible: 'CLIENT', dueOn: '2027-01-15' } })).updateMeasure;
    expect(handed).toMatchObject({ version: 2, responsible: 'CLIENT', partnerOrganization: null, dueOn: '2027-01-15' });
  });

  it('refuses every change of a plan once the case is closed (rule caseOpen)', async () => {
    const version = (await planRow(planId)).version;
    await cases.ownerQuery(`UPDATE cases SET status = 'closed', closed_at = now(), closure_reason = 'self_reliant' WHERE id = $1`, [caseId]);
    const closedRule = { code: 'BAD_USER_INPUT', rule: 'caseOpen' };
    expect(await fails(UPDATE_PROFILE, { input: { planId, expectedVersion: version, schoolingYears: 3 } })).toMatchObject({ ...closedRule, field: 'input.planId' });
    expect(await fails(ADD_GOAL, { input: { planId, expectedPlanVersion: version, lifeArea: 'WORK', description: 'x' } })).toMatchObject({ ...closedRule, field: 'input.planId' });
    expect(await fails(UPDATE_GOAL, { input: { id: goalId, expectedVersion: 1, status: 'ACHIEVED' } })).toMatchObject({ ...closedRule, field: 'input.id' });
    expect(await fails(ADD_MEASURE, { input: { goalId, description: 'x', responsible: 'CLIENT' } })).toMatchObject({ ...closedRule, field: 'input.goalId' });
    expect(await fails(UPDATE_MEASURE, { input: { id: measureId, expectedVersion: 1, doneOn: today } })).toMatchObject({ ...closedRule, field: 'input.id' });
    expect(await fails(REVIEW, { input: { planId, expectedVersion: version } })).toMatchObject({ ...closedRule, field: 'input.planId' });
    expect((await planRow(planId)).version).toBe(version);
    // A closed case's review is never overdue.
    await cases.ownerQuery(`UPDATE integration_plans SET next_review_due = '2020-01-01' WHERE id = $1`, [planId]);
    expect((await ok(`query($id: ID!) { case(id: $id) { plan { reviewOverdue } } }`, { id: caseId })).case.plan.reviewOverdue).toBe(false);
  });
});

describe('optimistic concurrency', () => {
  it('refuses stale versions with CONFLICT and writes nothing: plan, goal, measure', async () => {
    const { planId } = await openCase();
    const goal = (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion: 1, lifeArea: 'HEALTH', description: 'Family doctor' } })).addGoal;
    const measure = (await ok(ADD_MEASURE, { input: { goalId: goal.id, expectedPlanVersion: 2, description: 'Call practices', responsible: 'CLIENT' } })).addMeasure;
    await ok(UPDATE_GOAL, { input: { id: goal.id, expectedVersion: 1, priority: 'HIGH' } });
    await ok(UPDATE_MEASURE, { input: { id: measure.id, expectedVersion: 1, dueOn: '2027-02-01' } });
    const before = { plan: await planRow(planId), revisions: await revisionNumbers(planId) };
    expect(before.plan.version).toBe(5);

    const attempts: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [UPDATE_PROFILE, { planId, expectedVersion: 4, strengths: 'x' }, { entity: 'IntegrationPlan', expectedVersion: 4, actualVersion: 5 }],
      [REVIEW, { planId, expectedVersion: 1 }, { entity: 'IntegrationPlan', actualVersion: 5 }],
      [ADD_GOAL, { planId, expectedPlanVersion: 2, lifeArea: 'WORK', description: 'A job' }, { entity: 'IntegrationPlan', actualVersion: 5 }],
      [ADD_MEASURE, { goalId: goal.id, expectedPlanVersion: 3, description: 'x', responsible: 'CLIENT' }, { entity: 'IntegrationPlan', actualVersion: 5 }],
      [UPDATE_GOAL, { id: goal.id, expectedVersion: 1, status: 'ACHIEVED' }, { entity: 'Goal', id: goal.id, expectedVersion: 1, actualVersion: 2 }],
      [UPDATE_MEASURE, { id: measure.id, expectedVersion: 1, doneOn: today }, { entity: 'Measure', id: measure.id, expectedVersion: 1, actualVersion: 2 }],
    ];
    for (const [mutation, input, expected] of attempts) {
      expect(await fails(mutation, { input })).toMatchObject({ code: 'CONFLICT', ...expected });
    }
    expect(await planRow(planId)).toEqual(before.plan);
    expect(await revisionNumbers(planId)).toEqual(before.revisions);
    expect(await cases.ownerQuery(`SELECT status, priority, version FROM goals WHERE id = $1`, [goal.id])).toEqual([{ status: 'open', priority: 'high', version: 2 }]);
    expect(await cases.ownerQuery(`SELECT done_on, version FROM measures WHERE id = $1`, [measure.id])).toEqual([{ done_on: null, version: 2 }]);
    expect(await cases.ownerQuery(`SELECT count(*)::int AS n FROM goals WHERE plan_id = $1`, [planId])).toEqual([{ n: 1 }]);
  });

  it('a retried addGoal conflicts instead of adding the goal twice', async () => {
    const { planId } = await openCase();
    const input = { planId, expectedPlanVersion: 1, lifeArea: 'FINANCES', description: 'Budget' };
    await ok(ADD_GOAL, { input });
    expect(await fails(ADD_GOAL, { input })).toMatchObject({ code: 'CONFLICT' });
    expect(await cases.ownerQuery(`SELECT count(*)::int AS n FROM goals WHERE plan_id = $1`, [planId])).toEqual([{ n: 1 }]);
  });

  it('lets exactly one of 15 concurrent updates of the same version win; revisions stay without gaps', async () => {
    const { planId } = await openCase();
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => cases.graphql(UPDATE_PROFILE, { input: { planId, expectedVersion: 1, schoolingYears: i + 1 } }, caseworker)),
    );
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(14);
    expect(await revisionNumbers(planId)).toEqual([1, 2]);
    const plan = await planRow(planId);
    expect(plan.version).toBe(2);
    expect(plan.schooling_years).toBe((winners[0].data as any).updatePlanProfile.schoolingYears);
  });

  it('a change that meets a concurrent closing of the case waits for it and is refused (rule caseOpen)', async () => {
    const { caseId, planId } = await openCase();
    const closing = await cases.appClient();
    try {
      await closing.query('BEGIN');
      await closing.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [ORTENAU, Role.Lead]);
      await closing.query(`UPDATE cases SET status = 'closed', closed_at = now(), closure_reason = 'moved_away', version = version + 1 WHERE id = $1`, [caseId]);
      const change = cases.graphql(ADD_GOAL, { input: { planId, expectedPlanVersion: 1, lifeArea: 'WORK', description: 'A job' } }, caseworker);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the change now waits for the case row
      await closing.query('COMMIT');
      expect((await change).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planId', rule: 'caseOpen' });
    } finally {
      await closing.end();
    }
    expect(await revisionNumbers(planId)).toEqual([1]);
  });

  it('numbers the revisions of 12 concurrent changes that all succeed 1..n without gaps or duplicates', async () => {
    const { planId } = await openCase();
    const goal = (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion: 1, lifeArea: 'SCHOOL', description: 'School enrolment' } })).addGoal;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => cases.graphql(ADD_MEASURE, { input: { goalId: goal.id, description: `Step ${i + 1}`, responsible: 'CLIENT' } }, caseworker)),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(await revisionNumbers(planId)).toEqual(range(14));
    expect((await planRow(planId)).version).toBe(14);
  });
});

describe('access: another organisation sees and changes nothing', () => {
  let caseId: string;
  let planId: string;
  let goalId: string;
  let measureId: string;
  beforeAll(async () => {
    ({ caseId, planId } = await openCase());
    goalId = (await ok(ADD_GOAL, { input: { planId, expectedPlanVersion: 1, lifeArea: 'RESIDENCE', description: 'Settlement permit' } })).addGoal.id;
    measureId = (await ok(ADD_MEASURE, { input: { goalId, description: 'Documents', responsible: 'INTEGRATION_MANAGER' } })).addMeasure.id;
  });

  it('gets NOT_FOUND for every change of another organisation’s plan, and nothing is written', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      [UPDATE_PROFILE, { planId, expectedVersion: 3, strengths: 'x' }],
      [REVIEW, { planId, expectedVersion: 3 }],
      [ADD_GOAL, { planId, expectedPlanVersion: 3, lifeArea: 'WORK', description: 'x' }],
      [UPDATE_GOAL, { id: goalId, expectedVersion: 1, status: 'DROPPED' }],
      [ADD_MEASURE, { goalId, description: 'x', responsible: 'CLIENT' }],
      [UPDATE_MEASURE, { id: measureId, expectedVersion: 1, doneOn: today }],
    ];
    for (const [mutation, input] of attempts) {
      expect(await fails(mutation, { input }, otherOrg)).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await planRow(planId)).version).toBe(3);
    expect(await revisionNumbers(planId)).toEqual(range(3));
    expect((await ok(`query($id: ID!) { case(id: $id) { plan { id } } }`, { id: caseId }, otherOrg)).case).toBeNull();
  });

  it('refuses roles that do not counsel (deny by default)', async () => {
    for (const token of [await demoUserToken('jobcenter-partner'), await demoUserToken('ortenaukreis-coordinator'), await roleToken(ORTENAU, Role.Auditor)]) {
      expect(await fails(UPDATE_GOAL, { input: { id: goalId, expectedVersion: 1, status: 'DROPPED' } }, token)).toMatchObject({ code: 'FORBIDDEN' });
    }
    // A lead of the organisation may change the plan.
    const lead = await roleToken(ORTENAU, Role.Lead);
    expect((await ok(UPDATE_GOAL, { input: { id: goalId, expectedVersion: 1, priority: 'HIGH' } }, lead)).updateGoal.version).toBe(2);
  });

  /** Raw SQL as the application role with the settings a request would make. */
  async function scoped(orgId: string, roles: string, sql: string, params: unknown[] = []) {
    const client = await cases.appClient();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
      const result = await client.query(sql, params);
      await client.query('ROLLBACK');
      return result;
    } finally {
      await client.end();
    }
  }

  it.each(['integration_plans', 'goals', 'measures', 'plan_revisions'])('row-level security shows %s only to the owning organisation’s case staff', async (table) => {
    const own = await scoped(ORTENAU, Role.Caseworker, `SELECT DISTINCT owner_organization_id FROM ${table}`);
    expect(own.rows).toEqual([{ owner_organization_id: ORTENAU }]);
    const other = await scoped(DEMO_ORGANIZATIONS.offenburg.id, Role.Caseworker, `SELECT count(*)::int AS n FROM ${table} WHERE owner_organization_id = $1`, [ORTENAU]);
    expect(other.rows).toEqual([{ n: 0 }]);
    const coordinator = await scoped(ORTENAU, Role.Coordinator, `SELECT count(*)::int AS n FROM ${table}`);
    expect(coordinator.rows).toEqual([{ n: 0 }]);
  });

  it('plan revisions are append-only: the application role can neither change nor delete them', async () => {
    const before = await cases.ownerQuery(`SELECT * FROM plan_revisions WHERE plan_id = $1 ORDER BY revision`, [planId]);
    const update = await scoped(ORTENAU, `${Role.Caseworker},${Role.Lead}`, `UPDATE plan_revisions SET summary = 'rewritten' WHERE plan_id = $1`, [planId]);
    expect(update.rowCount).toBe(0);
    const remove = await scoped(ORTENAU, `${Role.Caseworker},${Role.Lead}`, `DELETE FROM plan_revisions WHERE plan_id = $1`, [planId]);
    expect(remove.rowCount).toBe(0);
    expect(await cases.ownerQuery(`SELECT * FROM plan_revisions WHERE plan_id = $1 ORDER BY revision`, [planId])).toEqual(before);
  });
});

describe('plan reviews', () => {
  it('flags an overdue review and clears the flag with a review (next one after the program’s interval)', async () => {
    const { caseId, planId } = await openCase();
    await cases.ownerQuery(`UPDATE integration_plans SET next_review_due = $2::date - 1 WHERE id = $1`, [planId, today]);
    const overdue = await ok(`query($id: ID!) { case(id: $id) { plan { version nextReviewDue reviewOverdue } } }`, { id: caseId });
    expect(overdue.case.plan.reviewOverdue).toBe(true);
    const reviewed = (await ok(REVIEW, { input: { planId, expectedVersion: overdue.case.plan.version, reviewedOn: '2026-09-30' } })).recordPlanReview;
    expect(reviewed).toMatchObject({ lastReviewedOn: '2026-09-30', nextReviewDue: '2027-03-30', reviewOverdue: false });
    expect(await fails(REVIEW, { input: { planId, expectedVersion: reviewed.version, reviewedOn: '2026-09-29' } })).toMatchObject({
      field: 'input.reviewedOn',
      rule: 'notBeforeLastReview',
    });
    // Due today is not overdue yet; the review interval comes from the program.
    await cases.ownerQuery(`UPDATE counselling_programs SET review_interval_months = 3 WHERE id = 'bw-im-2023'`);
    try {
      const second = (await ok(REVIEW, { input: { planId, expectedVersion: reviewed.version } })).recordPlanReview;
      expect(second).toMatchObject({ lastReviewedOn: today, nextReviewDue: addMonths(today, 3) });
    } finally {
      await cases.ownerQuery(`UPDATE counselling_programs SET review_interval_months = 6 WHERE id = 'bw-im-2023'`);
    }
    await cases.ownerQuery(`UPDATE integration_plans SET next_review_due = $2 WHERE id = $1`, [planId, today]);
    expect((await ok(`query($id: ID!) { case(id: $id) { plan { reviewOverdue } } }`, { id: caseId })).case.plan.reviewOverdue).toBe(false);
  });
});

describe('reading plans', () => {
  const PAGE = `query($first: Int) { cases(first: $first) { edges { node { id plan {
    id version reviewOverdue nextReviewDue clientLanguages otherLanguages germanSkills { speaking { level } }
    openGoalsByLifeArea { lifeArea count }
    goals { id lifeArea status closedOn measures { id responsible partnerOrganization { id } isOverdue } }
    revisions(first: 2) { totalCount edges { node { revision summary } } }
  } } } } }`;

  it('shows a seeded plan with goals in life-area order, measures and history', async () => {
    const ortenau1 = DEMO_CASES[0].id;
    const data = await ok(
      `query($id: ID!) { case(id: $id) { plan { case { id } version clientLanguages otherLanguages schoolingYears germanSkills { listening { level } speaking { level certificate } }
        goals { lifeArea description status priority targetDate closedOn measures { description responsible partnerOrganization { id } dueOn doneOn } }
        open: goals(status: [OPEN, IN_PROGRESS]) { status } language: goals(lifeArea: LANGUAGE) { lifeArea }
        openGoalsByLifeArea { lifeArea count }
        revisions(first: 100) { totalCount edges { node { revision authorUserId summary } } } } } }`,
      { id: ortenau1 },
    );
    const plan = data.case.plan;
    expect(plan.case.id).toBe(ortenau1);
    expect(plan.schoolingYears).toBe(6);
    expect(plan.clientLanguages).toEqual(['ar', 'en']);
    expect(plan.germanSkills).toEqual({ listening: { level: 'A1' }, speaking: { level: 'A2', certificate: 'telc Deutsch A2' } }); // improved after the first profile
    const areas = ['LANGUAGE', 'WORK', 'VOCATIONAL_TRAINING', 'STUDY', 'CHILDCARE', 'SCHOOL', 'HOUSING', 'RESIDENCE', 'HEALTH', 'LEISURE_CLUBS', 'SOCIAL_PARTICIPATION', 'FINANCES'];
    const order = plan.goals.map((g: { lifeArea: string }) => areas.indexOf(g.lifeArea));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(plan.goals.length).toBeGreaterThanOrEqual(2);
    expect(plan.goals.flatMap((g: { measures: unknown[] }) => g.measures).length).toBeGreaterThan(0);
    expect(plan.open.every((g: { status: string }) => ['OPEN', 'IN_PROGRESS'].includes(g.status))).toBe(true);
    expect(plan.language.every((g: { lifeArea: string }) => g.lifeArea === 'LANGUAGE')).toBe(true);
    expect(plan.openGoalsByLifeArea.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(plan.open.length);
    const revisions = plan.revisions.edges.map((e: { node: Revision }) => e.node);
    expect(plan.revisions.totalCount).toBe(plan.version);
    expect(revisions.map((r: Revision) => r.revision)).toEqual(range(plan.version).reverse());
    expect(revisions[revisions.length - 1].summary).toBe('Plan created');
    expect(new Set(revisions.map((r: Revision) => r.authorUserId))).toEqual(new Set([MARA.id]));
  });

  it('seeds goals in every life area and status, measures of every kind of responsible, overdue reviews and long histories', async () => {
    const goals = await cases.ownerQuery<{ life_area: string; status: string }>(`SELECT DISTINCT life_area, status FROM goals`);
    expect(new Set(goals.map((g) => g.life_area)).size).toBe(12);
    expect(new Set(goals.map((g) => g.status))).toEqual(new Set(['open', 'in_progress', 'achieved', 'partly_achieved', 'not_achieved', 'dropped']));
    const responsible = await cases.ownerQuery<{ responsible: string; partner_organization_id: string | null }>(`SELECT DISTINCT responsible, partner_organization_id FROM measures`);
    expect(new Set(responsible.map((m) => m.responsible))).toEqual(new Set(['client', 'integration_manager', 'partner']));
    const demoPartners = new Set(Object.values(DEMO_ORGANIZATIONS).map((o) => o.id));
    for (const m of responsible.filter((m) => m.partner_organization_id)) expect(demoPartners.has(m.partner_organization_id!)).toBe(true);
    const [{ overdue, current }] = await cases.ownerQuery<{ overdue: number; current: number }>(
      `SELECT count(*) FILTER (WHERE next_review_due < $1::date)::int AS overdue, count(*) FILTER (WHERE next_review_due >= $1::date)::int AS current FROM integration_plans
        WHERE case_id = ANY($2::uuid[])`,
      [today, Array.from({ length: 30 }, (_, i) => (i < DEMO_CASES.length ? DEMO_CASES[i].id : demoId('case', `extra-${i - DEMO_CASES.length}`)))],
    );
    expect(overdue).toBeGreaterThanOrEqual(3);
    expect(current).toBeGreaterThanOrEqual(10);
    const [{ long }] = await cases.ownerQuery<{ long: number }>(
      `SELECT count(*)::int AS long FROM (SELECT plan_id FROM plan_revisions GROUP BY plan_id HAVING count(*) >= 8) p`,
    );
    expect(long).toBeGreaterThanOrEqual(10);
  });

  it('seeds idempotently: a second run changes nothing', async () => {
    const count = async () => (await cases.ownerQuery(`SELECT (SELECT count(*) FROM plan_revisions) AS r, (SELECT count(*) FROM goals) AS g, (SELECT count(*) FROM measures) AS m`))[0];
    const before = await count();
    const { seedPlans } = await import('../src/seed/plans');
    const { ENTITIES } = await import('../src/entities');
    const owner = createDataSource({ url: cases.database.ownerUrl, entities: ENTITIES, applicationName: 'plan-seed-test' });
    await owner.initialize();
    try {
      await owner.transaction((manager) => seedPlans(manager, { info: () => undefined } as never));
    } finally {
      await owner.destroy();
    }
    expect(await count()).toEqual(before);
  });

  it('costs the same number of SQL statements for a page of 2 or of 30 cases with plans, goals, measures and history', async () => {
    const run = async (first: number) => {
      cases.statements.reset();
      const data = await ok<{ cases: { edges: { node: { plan: { goals: { measures: unknown[] }[] } | null } }[] } }>(PAGE, { first }, await roleToken(ORTENAU, Role.Lead));
      return {
        cases: data.cases.edges.length,
        goals: data.cases.edges.flatMap((e) => e.node.plan?.goals ?? []).length,
        statements: cases.statements.statements.length,
        plans: cases.statements.selectsFrom('integration_plans').length,
        goalSelects: cases.statements.selectsFrom('goals').length,
        measureSelects: cases.statements.selectsFrom('measures').length,
        revisionSelects: cases.statements.selectsFrom('plan_revisions').length,
        clientSelects: cases.statements.selectsFrom('clients').length,
      };
    };
    const small = await run(2);
    const large = await run(30);
    expect(large.cases).toBeGreaterThan(small.cases * 5);
    expect(large.goals).toBeGreaterThan(small.goals);
    expect(large.statements).toBe(small.statements);
    expect(large).toMatchObject({ plans: 1, goalSelects: 1, measureSelects: 1, revisionSelects: 1, clientSelects: 1 });
  });
});
