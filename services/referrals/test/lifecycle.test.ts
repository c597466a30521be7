import { DEMO_ORGANIZATIONS, DEMO_REFERRALS, demoId, demoUserToken, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { referralsSubgraph } from '../src/subgraph';

let referrals: TestSubgraph;
const O = DEMO_ORGANIZATIONS;
const referralId = (key: string) => demoId('referral', key);

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph, { seed: true });
});
afterAll(() => referrals?.stop());

const version = async (id: string) => (await referrals.ownerQuery<{ version: number }>('SELECT version FROM referrals WHERE id = $1', [id]))[0].version;
const count = async (table: string, where: string, params: unknown[]) =>
  Number((await referrals.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params))[0].n);

const STEP = (mutation: string, input = 'ReferralStepInput') =>
  `mutation($input: ${input}!) { ${mutation}(input: $input) { id status version firstResponseAt startedAt closedAt scheduledStart waitlistPosition outcome { code levelReached certificate } reasonCode } }`;

describe('the referral lifecycle', () => {
  const id = referralId('ortenau-2-vhs'); // SENT by the Ortenaukreis to the Volkshochschule

  it('lets the partner open and accept, records each step with actor and time, and notifies the sender', async () => {
    const vhs = await demoUserToken('vhs-partner');
    const opened = await referrals.graphql<{ openReferral: { status: string; firstResponseAt: string } }>(STEP('openReferral'), { input: { id, expectedVersion: await version(id) } }, vhs);
    expect(opened.errors).toBeUndefined();
    expect(opened.data!.openReferral.status).toBe('RECEIVED');
    expect(opened.data!.openReferral.firstResponseAt).not.toBeNull();
    const accepted = await referrals.graphql<{ acceptReferral: { status: string } }>(
      STEP('acceptReferral'),
      { input: { id, expectedVersion: await version(id), comment: 'Platz im Kurs ab Januar' } },
      vhs,
    );
    expect(accepted.data!.acceptReferral.status).toBe('ACCEPTED');
    const history = await referrals.graphql<{ referral: { history: { fromStatus: string | null; toStatus: string; actorSide: string; comment: string | null }[] } }>(
      `query($id: ID!) { referral(id: $id) { history { fromStatus toStatus actorSide comment actorUserId occurredAt } } }`,
      { id },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(history.data!.referral.history.slice(-2)).toMatchObject([
      { fromStatus: 'SENT', toStatus: 'RECEIVED', actorSide: 'RECEIVER' },
      { fromStatus: 'RECEIVED', toStatus: 'ACCEPTED', actorSide: 'RECEIVER', comment: 'Platz im Kurs ab Januar' },
    ]);
    expect(await count('outbox', `referral_id = $1 AND recipient_organization_id = $2 AND topic = 'referral.accepted'`, [id, O.ortenaukreis.id])).toBe(1);
  });

  it('refuses a step by the wrong side', async () => {
    const result = await referrals.graphql(STEP('scheduleReferral', 'ScheduleReferralInput'), { input: { id, expectedVersion: await version(id), start: '2027-01-11' } }, await demoUserToken('ortenaukreis-caseworker'));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0].message).toMatch(/Only the receiver side/);
    const cancelByPartner = await referrals.graphql(STEP('cancelReferral', 'CancelReferralInput'), { input: { id, expectedVersion: await version(id), reason: 'OTHER' } }, await demoUserToken('vhs-partner'));
    expect(cancelByPartner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses transitions the state machine does not allow, and stale versions, changing nothing', async () => {
    const vhs = await demoUserToken('vhs-partner');
    const events = await count('referral_events', 'referral_id = $1', [id]);
    const skip = await referrals.graphql(STEP('markReferralNoShow'), { input: { id, expectedVersion: await version(id) } }, vhs);
    expect(skip.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status', rule: 'allowedTransition' });
    const stale = await referrals.graphql(STEP('scheduleReferral', 'ScheduleReferralInput'), { input: { id, expectedVersion: 1, start: '2027-01-11' } }, vhs);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(await count('referral_events', 'referral_id = $1', [id])).toBe(events);
  });

  it('schedules, starts and completes only with an outcome, closing the loop', async () => {
    const vhs = await demoUserToken('vhs-partner');
    const scheduled = await referrals.graphql<{ scheduleReferral: { status: string; scheduledStart: string } }>(
      STEP('scheduleReferral', 'ScheduleReferralInput'),
      { input: { id, expectedVersion: await version(id), start: '2027-01-11' } },
      vhs,
    );
    expect(scheduled.data!.scheduleReferral).toMatchObject({ status: 'SCHEDULED', scheduledStart: '2027-01-11' });
    const started = await referrals.graphql<{ startReferral: { startedAt: string } }>(STEP('startReferral'), { input: { id, expectedVersion: await version(id) } }, vhs);
    expect(started.data!.startReferral.startedAt).not.toBeNull();
    const COMPLETE = STEP('completeReferral', 'CompleteReferralInput');
    const noLevel = await referrals.graphql(COMPLETE, { input: { id, expectedVersion: await version(id), outcome: { code: 'LEVEL_REACHED' } } }, vhs);
    expect(noLevel.errors?.[0].extensions).toMatchObject({ field: 'input.outcome.levelReached', rule: 'requiredForLanguageOutcome' });
    const noCertificate = await referrals.graphql(COMPLETE, { input: { id, expectedVersion: await version(id), outcome: { code: 'CERTIFICATE', levelReached: 'B1' } } }, vhs);
    expect(noCertificate.errors?.[0].extensions).toMatchObject({ field: 'input.outcome.certificate', rule: 'requiredForCertificate' });
    const completed = await referrals.graphql<{ completeReferral: { status: string; closedAt: string; outcome: unknown } }>(
      COMPLETE,
      { input: { id, expectedVersion: await version(id), outcome: { code: 'CERTIFICATE', levelReached: 'B1', certificate: 'DTZ B1' } } },
      vhs,
    );
    expect(completed.data!.completeReferral).toMatchObject({ status: 'COMPLETED', outcome: { code: 'CERTIFICATE', levelReached: 'B1', certificate: 'DTZ B1' } });
    expect(completed.data!.completeReferral.closedAt).not.toBeNull();
    const after = await referrals.graphql(STEP('failReferral', 'FailReferralInput'), { input: { id, expectedVersion: await version(id), reason: 'DROPPED_OUT' } }, vhs);
    expect(after.errors?.[0].message).toMatch(/the loop is closed/);
  });

  it('lets the sender cancel with a reason, and declines need a reason code', async () => {
    const draft = referralId('ortenau-2-mbe');
    const cancelled = await referrals.graphql<{ cancelReferral: { status: string; reasonCode: string } }>(
      STEP('cancelReferral', 'CancelReferralInput'),
      { input: { id: draft, expectedVersion: await version(draft), reason: 'NO_LONGER_NEEDED' } },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(cancelled.data!.cancelReferral).toMatchObject({ status: 'CANCELLED', reasonCode: 'no_longer_needed' });
    const received = referralId('offenburg-1-jobcenter');
    const missing = await referrals.graphql(STEP('declineReferral', 'DeclineReferralInput'), { input: { id: received, expectedVersion: await version(received) } }, await demoUserToken('jobcenter-partner'));
    expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const declined = await referrals.graphql<{ declineReferral: { status: string; reasonCode: string } }>(
      STEP('declineReferral', 'DeclineReferralInput'),
      { input: { id: received, expectedVersion: await version(received), reason: 'NO_CAPACITY', comment: 'Keine Plätze bis Sommer' } },
      await demoUserToken('jobcenter-partner'),
    );
    expect(declined.data!.declineReferral).toMatchObject({ status: 'DECLINED', reasonCode: 'no_capacity' });
  });
});

describe('what partners see', () => {
  it('shows a partner its inbox only, newest first, with allowed actions; another partner’s referral is invisible', async () => {
    const vhs = await demoUserToken('vhs-partner');
    const inbox = await referrals.graphql<{ incomingReferrals: { totalCount: number; edges: { node: { id: string; allowedNextStatuses: string[]; case: null } }[] } }>(
      `{ incomingReferrals(first: 10) { totalCount edges { node { id status allowedNextStatuses case { id } clientDataScope } } } }`,
      {},
      vhs,
    );
    const expected = DEMO_REFERRALS.filter((r) => r.receiverOrganizationId === O.vhs.id && r.status !== 'draft');
    expect(inbox.data!.incomingReferrals.totalCount).toBe(expected.length);
    for (const { node } of inbox.data!.incomingReferrals.edges) expect(node.case).toBeNull();
    const foreign = await referrals.graphql(`query($id: ID!) { referral(id: $id) { id } }`, { id: referralId('offenburg-1-jobcenter') }, vhs);
    expect(foreign.data).toEqual({ referral: null });
    const asSender = await referrals.graphql(`{ incomingReferrals { totalCount } }`, {}, await demoUserToken('ortenaukreis-caseworker'));
    expect(asSender.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('shows the sender its outgoing referrals with the consented client data', async () => {
    const result = await referrals.graphql<{ outgoingReferrals: { edges: { node: { id: string; clientData: Record<string, unknown> | null } }[] } }>(
      `{ outgoingReferrals(first: 20) { edges { node { id status clientData clientDataScope } } } }`,
      {},
      await demoUserToken('offenburg-caseworker'),
    );
    const sent = result.data!.outgoingReferrals.edges.map((e) => e.node);
    expect(sent.map((r) => r.id)).toContain(referralId('offenburg-1-jobcenter'));
    expect(sent.find((r) => r.id === referralId('offenburg-1-jobcenter'))!.clientData).toHaveProperty('name');
  });

  it('contributes counts to the directory for the organisation concerned only', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { incomingReferralCount } } }`;
    const variables = { r: [{ __typename: 'Organization', id: O.vhs.id }] };
    const own = await referrals.graphql<{ _entities: { incomingReferralCount: number | null }[] }>(query, variables, await demoUserToken('vhs-partner'));
    expect(own.data!._entities[0].incomingReferralCount).toBe(DEMO_REFERRALS.filter((r) => r.receiverOrganizationId === O.vhs.id && r.status !== 'draft').length);
    const other = await referrals.graphql<{ _entities: { incomingReferralCount: number | null }[] }>(query, variables, await demoUserToken('jobcenter-partner'));
    expect(other.data!._entities[0].incomingReferralCount).toBeNull();
    const admin = await referrals.graphql<{ _entities: { incomingReferralCount: number | null }[] }>(query, variables, await roleToken(O.vhs.id, Role.OrgAdmin));
    expect(admin.data!._entities[0].incomingReferralCount).toBeNull();
  });

  it('keeps events and the outbox away from other organisations in PostgreSQL', async () => {
    const client = await referrals.appClient();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'partner', true)`, [O.jobcenter.id]);
      const { rows } = await client.query('SELECT DISTINCT receiver_organization_id FROM referral_events');
      expect(rows.map((r) => r.receiver_organization_id)).toEqual([O.jobcenter.id]);
      expect((await client.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
