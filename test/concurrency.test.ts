import { DEMO_ORGANIZATIONS, demoId, OFFENBURG_AGS, organizationIdForAgs } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Issue 9, "Concurrency and load": concurrent edits never silently overwrite each other and a retried request never
 * creates a duplicate — through the gateway, as clients send them, 50 at once.
 */
let platform: TestPlatform;
let caseworker: string;
let caseId: string;
let planId: string;
const O = DEMO_ORGANIZATIONS;
const ATTEMPTS = 50;

async function ok<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await platform.query<T>(query, variables, caseworker);
  if (result.errors) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.data!;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  caseworker = await platform.tokenOf('ortenaukreis-caseworker');
  const opened = await ok<{ openCase: { id: string; plan: { id: string; version: number } } }>(
    `mutation($client: NewClientInput!, $municipality: ID!) { openCase(input: { client: $client, municipalityId: $municipality }) { id plan { id version } } }`,
    {
      client: {
        givenName: 'Olena', familyName: 'Parallel', dateOfBirth: '1988-03-03', gender: 'FEMALE', nationalities: ['UA'], languages: ['uk'],
        arrivedOn: '2022-04-01', residenceStatus: 'TEMPORARY_PROTECTION', followUpAccommodation: 'CURRENT',
      },
      municipality: organizationIdForAgs(OFFENBURG_AGS),
    },
  );
  caseId = opened.openCase.id;
  planId = opened.openCase.plan.id;
  expect(opened.openCase.plan.version).toBe(1);
}, 120_000);
afterAll(() => platform?.stop());

describe(`${ATTEMPTS} concurrent requests through the gateway`, () => {
  it('updates of one plan with the same expected version: exactly one succeeds, the others get CONFLICT, the revisions have no gap', async () => {
    const results = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        platform.query<{ updatePlanProfile: { version: number; schoolingYears: number } }>(
          `mutation($input: UpdatePlanProfileInput!) { updatePlanProfile(input: $input) { version schoolingYears } }`,
          { input: { planId, expectedVersion: 1, schoolingYears: (i % 25) + 1 } },
          caseworker,
        ),
      ),
    );
    const winners = results.filter((result) => !result.errors);
    const conflicts = results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT');
    const others = results.filter((r) => r.errors && r.errors[0].extensions?.code !== 'CONFLICT').map((r) => JSON.stringify(r.errors).slice(0, 400));
    expect([...new Set(others)]).toEqual([]);
    expect({ winners: winners.length, conflicts: conflicts.length }).toEqual({ winners: 1, conflicts: ATTEMPTS - 1 });
    expect(winners[0].data!.updatePlanProfile.version).toBe(2);

    const plan = await ok<{ case: { plan: { version: number; schoolingYears: number; revisions: { edges: { node: { revision: number } }[] } } } }>(
      `query($id: ID!) { case(id: $id) { plan { version schoolingYears revisions(first: 100) { edges { node { revision } } } } } }`,
      { id: caseId },
    );
    // The winner's value, nobody else's: nothing was overwritten silently.
    expect(plan.case.plan).toMatchObject({ version: 2, schoolingYears: winners[0].data!.updatePlanProfile.schoolingYears });
    expect(plan.case.plan.revisions.edges.map((edge) => edge.node.revision).sort((a, b) => a - b)).toEqual([1, 2]);
  });

  it('retries of one referral send with one idempotency key: exactly one referral', async () => {
    const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
    await ok(RECORD, { input: { caseId, kind: 'COUNSELLING', purposes: ['Beratung'], textVersion: '2026-01', explainedIn: 'uk', givenOn: '2026-11-02' } });
    await ok(RECORD, {
      input: {
        caseId, kind: 'DATA_SHARING', recipientOrganizationId: O.vhs.id, scope: ['name', 'germanLevel'], purposes: ['Vermittlung in den Integrationskurs'],
        textVersion: '2026-01', explainedIn: 'uk', givenOn: '2026-11-02',
      },
    });
    const input = {
      caseId, partnerOrganizationId: O.vhs.id, offeringId: demoId('offering', 'vhs-ik-allgemein-2027-01'), lifeArea: 'LANGUAGE',
      reason: 'Integrationskurs', idempotencyKey: 'concurrency-retry-1',
    };
    const results = await Promise.all(
      Array.from({ length: ATTEMPTS }, () =>
        platform.query<{ sendReferral: { id: string; status: string } }>(`mutation($input: SendReferralInput!) { sendReferral(input: $input) { id status } }`, { input }, caseworker),
      ),
    );
    // Every retry is answered with the one referral (none fails: a retry is not an error).
    expect(results.filter((result) => result.errors).map((result) => result.errors)).toEqual([]);
    const ids = new Set(results.map((result) => result.data!.sendReferral.id));
    expect(ids.size).toBe(1);
    const outgoing = await ok<{ outgoingReferrals: { totalCount: number; edges: { node: { id: string } }[] } }>(
      `query($c: ID!) { outgoingReferrals(filter: { caseId: $c }, first: 100) { totalCount edges { node { id } } } }`,
      { c: caseId },
    );
    expect(outgoing.outgoingReferrals.totalCount).toBe(1);
    expect(outgoing.outgoingReferrals.edges.map((edge) => edge.node.id)).toEqual([...ids]);
  });
});
