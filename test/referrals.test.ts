import { demoId, DEMO_ORGANIZATIONS, OFFENBURG_AGS, organizationIdForAgs, postGraphQL } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

let platform: TestPlatform;
const O = DEMO_ORGANIZATIONS;
const COURSE = demoId('offering', 'vhs-ik-allgemein-2027-01');

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(() => platform?.stop());

type Referral = { id: string; status: string; version: number };

/** Runs a query through the gateway and fails the test on any error. */
async function ok<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await platform.query<T>(query, variables, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.data!;
}

describe('a closed-loop referral through the gateway', () => {
  let caseworker: string;
  let partner: string;
  let caseId: string;
  let counsellingConsentId: string;
  let referral: Referral;
  const send = (idempotencyKey: string, extra: Record<string, unknown> = {}) =>
    platform.query<{ sendReferral: Referral & { clientDataScope: string[] } }>(
      `mutation($input: SendReferralInput!) { sendReferral(input: $input) { id status version clientDataScope } }`,
      { input: { caseId, partnerOrganizationId: O.vhs.id, offeringId: COURSE, lifeArea: 'LANGUAGE', reason: 'Integrationskurs B1', idempotencyKey, ...extra } },
      caseworker,
    );
  const INPUT_TYPES: Record<string, string> = {
    openReferral: 'ReferralStepInput',
    acceptReferral: 'ReferralStepInput',
    startReferral: 'ReferralStepInput',
    scheduleReferral: 'ScheduleReferralInput',
    completeReferral: 'CompleteReferralInput',
  };
  const step = async (mutation: string, input: Record<string, unknown>, token = partner) => {
    const data = await ok<Record<string, Referral>>(
      `mutation($input: ${INPUT_TYPES[mutation]}!) { ${mutation}(input: $input) { id status version } }`,
      { input: { id: referral.id, expectedVersion: referral.version, ...input } },
      token,
    );
    referral = data[mutation];
    return referral;
  };

  beforeAll(async () => {
    caseworker = await platform.tokenOf('ortenaukreis-caseworker');
    partner = await platform.tokenOf('vhs-partner');
    const opened = await ok<{ openCase: { id: string } }>(
      `mutation($client: NewClientInput!, $municipality: ID!) { openCase(input: { client: $client, municipalityId: $municipality }) { id } }`,
      {
        client: {
          givenName: 'Hanna', familyName: 'Loop', dateOfBirth: '1991-07-07', gender: 'FEMALE', nationalities: ['UA'], languages: ['uk'],
          arrivedOn: '2022-05-01', residenceStatus: 'TEMPORARY_PROTECTION', followUpAccommodation: 'CURRENT', phone: '+49 781 555 0101',
        },
        municipality: organizationIdForAgs(OFFENBURG_AGS),
      },
      caseworker,
    );
    caseId = opened.openCase.id;
  });

  it('refuses to send without consent, and stores nothing', async () => {
    const result = await send('loop-no-consent-1');
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'consentRequired' });
    expect(result.errors?.[0].message).toMatch(/COUNSELLING/);
    const outgoing = await ok<{ outgoingReferrals: { totalCount: number } }>(`query($c: ID!) { outgoingReferrals(filter: { caseId: $c }) { totalCount } }`, { c: caseId }, caseworker);
    expect(outgoing.outgoingReferrals.totalCount).toBe(0);
  });

  it('sends once the client consented, with exactly the consented fields for the partner', async () => {
    const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
    const counselling = await ok<{ recordConsent: { id: string } }>(
      RECORD,
      { input: { caseId, kind: 'COUNSELLING', purposes: ['Beratung'], textVersion: '2026-01', explainedIn: 'uk', givenOn: '2026-11-02' } },
      caseworker,
    );
    counsellingConsentId = counselling.recordConsent.id;
    await ok(
      RECORD,
      { input: { caseId, kind: 'DATA_SHARING', recipientOrganizationId: O.vhs.id, scope: ['name', 'phone', 'germanLevel'], purposes: ['Vermittlung in den Integrationskurs'], textVersion: '2026-01', explainedIn: 'uk', givenOn: '2026-11-02' } },
      caseworker,
    );
    const sent = await send('loop-send-1');
    expect(sent.errors).toBeUndefined();
    referral = sent.data!.sendReferral;
    expect(referral.status).toBe('SENT');
    expect(sent.data!.sendReferral.clientDataScope.sort()).toEqual(['germanLevel', 'name', 'phone']);

    const inbox = await ok<{ incomingReferrals: { edges: { node: { id: string; clientData: Record<string, unknown>; case: null; offering: { id: string } } }[] } }>(
      `{ incomingReferrals(filter: { statuses: [SENT] }, first: 50) { edges { node { id clientData case { id } offering { id } sender { name } } } } }`,
      {},
      partner,
    );
    const mine = inbox.incomingReferrals.edges.find((e) => e.node.id === referral.id)!.node;
    expect(inbox.incomingReferrals.edges.length).toBeGreaterThan(1);
    expect(Object.keys(mine.clientData).sort()).toEqual(['germanLevel', 'name', 'phone']);
    expect(mine.clientData.name).toEqual({ givenName: 'Hanna', familyName: 'Loop' });
    expect(mine.clientData.phone).toBe('+49 781 555 0101');
    expect(mine.case).toBeNull();
    expect(mine.offering).toEqual({ id: COURSE });
  });

  it('re-checks the consents of a whole inbox with one call to the cases subgraph', async () => {
    const requestId = 'inbox-batch-check-0001';
    const result = await postGraphQL(platform.gatewayUrl, `{ incomingReferrals(first: 50) { edges { node { id clientData } } } }`, {}, partner, { 'x-request-id': requestId });
    expect(result.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const casesCalls = platform.lines.filter((l) => l.process === 'cases' && l.line.includes(requestId) && l.line.includes('graphql request'));
    expect(casesCalls).toHaveLength(1);
  });

  it('returns the original referral for a retry, and refuses the key for a different referral', async () => {
    const again = await send('loop-send-1');
    expect(again.data!.sendReferral.id).toBe(referral.id);
    const reused = await send('loop-send-1', { reason: 'Something else' });
    expect(reused.errors?.[0].extensions).toMatchObject({ field: 'input.idempotencyKey', rule: 'idempotencyKeyReused' });
  });

  it('keeps another partner out', async () => {
    const other = await platform.query(`query($id: ID!) { referral(id: $id) { id clientData } }`, { id: referral.id }, await platform.tokenOf('jobcenter-partner'));
    expect(other.data).toEqual({ referral: null });
  });

  it('lets the partner accept, schedule and complete with the level reached; a skipped step is refused', async () => {
    await step('openReferral', {});
    await step('acceptReferral', { comment: 'Platz frei' });
    const skipped = await platform.query(
      `mutation($input: CompleteReferralInput!) { completeReferral(input: $input) { id } }`,
      { input: { id: referral.id, expectedVersion: referral.version, outcome: { code: 'LEVEL_REACHED', levelReached: 'B1' } } },
      partner,
    );
    expect(skipped.errors?.[0].extensions).toMatchObject({ rule: 'allowedTransition' });
    await step('scheduleReferral', { start: '2027-01-11' });
    await step('startReferral', {});
    await step('completeReferral', { outcome: { code: 'CERTIFICATE', levelReached: 'B1', certificate: 'DTZ B1' } });
    expect(referral.status).toBe('COMPLETED');
  });

  it('shows the caseworker every step on the case', async () => {
    const data = await ok<{ case: { referrals: { id: string; status: string; outcome: { levelReached: string }; history: { toStatus: string; actorSide: string }[] }[] } }>(
      `query($id: ID!) { case(id: $id) { referrals { id status outcome { code levelReached certificate } history { toStatus actorSide occurredAt } } } }`,
      { id: caseId },
      caseworker,
    );
    const shown = data.case.referrals.find((r) => r.id === referral.id)!;
    const where = await ok<{ referral: { municipality: { name: string } } }>(`query($id: ID!) { referral(id: $id) { municipality { name } } }`, { id: referral.id }, caseworker);
    expect(where.referral.municipality).toEqual({ name: 'Offenburg' });
    expect(shown.status).toBe('COMPLETED');
    expect(shown.outcome).toEqual({ code: 'CERTIFICATE', levelReached: 'B1', certificate: 'DTZ B1' });
    expect(shown.history.map((h) => `${h.actorSide}:${h.toStatus}`)).toEqual([
      'SENDER:SENT',
      'RECEIVER:RECEIVED',
      'RECEIVER:ACCEPTED',
      'RECEIVER:SCHEDULED',
      'RECEIVER:IN_PROGRESS',
      'RECEIVER:COMPLETED',
    ]);
  });

  it('withdraws the client data from the partner at once when consent is revoked, keeping the referral', async () => {
    const consent = await ok<{ case: { consents: { id: string; kind: string; version: number }[] } }>(
      `query($id: ID!) { case(id: $id) { consents { id kind version } } }`,
      { id: caseId },
      caseworker,
    );
    const counselling = consent.case.consents.find((c) => c.id === counsellingConsentId)!;
    await ok(`mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { id } }`, { input: { id: counselling.id, expectedVersion: counselling.version, note: 'Widerruf' } }, caseworker);
    const seen = await ok<{ referral: { status: string; clientData: unknown; clientDataScope: string[]; clientDataWithdrawnAt: string } }>(
      `query($id: ID!) { referral(id: $id) { status clientData clientDataScope clientDataWithdrawnAt } }`,
      { id: referral.id },
      partner,
    );
    expect(seen.referral).toMatchObject({ status: 'COMPLETED', clientData: null });
    const again = await ok<{ referral: { clientData: unknown; clientDataScope: string[]; clientDataWithdrawnAt: string | null } }>(
      `query($id: ID!) { referral(id: $id) { clientData clientDataScope clientDataWithdrawnAt } }`,
      { id: referral.id },
      partner,
    );
    expect(again.referral).toMatchObject({ clientData: null, clientDataScope: [] });
    expect(again.referral.clientDataWithdrawnAt).not.toBeNull();
  });
});
