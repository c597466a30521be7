import { demoId, DEMO_ORGANIZATIONS } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Erasure and retention end to end through the gateway (issue 7): a lead erases a client on request, the retention
 * job anonymises a client once the period after the last closed case has passed — the same code path. Partners lose
 * the snapshot, the comparison of past periods does not change, and the audit trail says who did it.
 */
const O = DEMO_ORGANIZATIONS;
const REFERRAL_TO_VHS = demoId('referral', 'ortenau-2-vhs');

type CaseState = { case: { id: string; version: number; status: string; client: { id: string; version: number; givenName: string } } };
const CASE_STATE = `query($id: ID!) { case(id: $id) { id version status client { id version givenName } } }`;

async function ok<T>(platform: TestPlatform, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await platform.query<T>(query, variables, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.data!;
}

async function closeCase(platform: TestPlatform, caseId: string, lead: string): Promise<CaseState['case']> {
  const { case: before } = await ok<CaseState>(platform, CASE_STATE, { id: caseId }, lead);
  await ok(platform, `mutation($input: CloseCaseInput!) { closeCase(input: $input) { id status } }`, { input: { caseId, expectedVersion: before.version, reason: 'GOALS_ACHIEVED' } }, lead);
  return (await ok<CaseState>(platform, CASE_STATE, { id: caseId }, lead)).case;
}

const TRAIL = `query($clientId: ID!) { auditTrail(clientId: $clientId) { cases(first: 100) { edges { node { action operation actorUserId entityType fields purpose } } } } }`;
type Trail = { auditTrail: { cases: { edges: { node: { action: string; operation: string; actorUserId: string; entityType: string; fields: string[]; purpose: string | null } }[] } } };

describe('erasure on request (Art. 17 GDPR)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  }, 120_000);
  afterAll(() => platform?.stop());

  it('anonymises the client everywhere, withdraws the partner’s snapshot, keeps the figures, and is recorded', async () => {
    const lead = await platform.tokenOf('ortenaukreis-lead');
    const partner = await platform.tokenOf('vhs-partner');
    const coordinator = await platform.tokenOf('ortenaukreis-coordinator');
    const caseId = demoId('case', 'ortenau-2');
    const ERASE = `mutation($input: EraseClientInput!) { eraseClient(input: $input) { clientId alreadyAnonymised caseIds consentsRevoked } }`;

    const { case: open } = await ok<CaseState>(platform, CASE_STATE, { id: caseId }, lead);
    const refused = await platform.query(ERASE, { input: { clientId: open.client.id, expectedVersion: open.client.version, reason: 'OBJECTION' } }, lead);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'noOpenCase' });

    const closed = await closeCase(platform, caseId, lead);
    const inboxBefore = await ok<{ incomingReferrals: { edges: { node: { id: string; clientData: unknown } }[] } }>(
      platform, `{ incomingReferrals(first: 50) { edges { node { id clientData } } } }`, {}, partner);
    expect(inboxBefore.incomingReferrals.edges.find((e) => e.node.id === REFERRAL_TO_VHS)!.node.clientData).not.toBeNull();

    // The comparison as the cooperation meeting downloads it, for a year and a tertial, before and after.
    const exportUrl = (period: string) => platform.gatewayUrl.replace(/\/graphql$/, `/exports/district-comparison.csv?districtId=${O.ortenaukreis.id}&period=${period}`);
    const comparison = async () =>
      Promise.all(['2025', '2026', '2026-T3'].map(async (period) => (await fetch(exportUrl(period), { headers: { authorization: `Bearer ${coordinator}` } })).text()));
    const figuresBefore = await comparison();

    const erased = await ok<{ eraseClient: { clientId: string; alreadyAnonymised: boolean; caseIds: string[]; consentsRevoked: number } }>(
      platform, ERASE, { input: { clientId: closed.client.id, expectedVersion: closed.client.version, reason: 'OBJECTION' } }, lead);
    expect(erased.eraseClient).toMatchObject({ clientId: closed.client.id, alreadyAnonymised: false, caseIds: [caseId] });
    expect(erased.eraseClient.consentsRevoked).toBeGreaterThan(0);

    const after = await ok<{ client: Record<string, unknown> }>(
      platform, `query($id: ID!) { client(id: $id) { givenName familyName dateOfBirth phone email anonymisedAt } }`, { id: closed.client.id }, lead);
    expect(after.client).toMatchObject({ givenName: 'anonymisiert', familyName: 'anonymisiert', phone: null, email: null });
    expect(after.client.anonymisedAt).not.toBeNull();
    expect(String(after.client.dateOfBirth)).toMatch(/-01-01$/);

    // A retried request changes nothing and says so.
    const retried = await ok<{ eraseClient: { alreadyAnonymised: boolean } }>(
      platform, ERASE, { input: { clientId: closed.client.id, expectedVersion: closed.client.version, reason: 'OBJECTION' } }, lead);
    expect(retried.eraseClient.alreadyAnonymised).toBe(true);

    // The partner's snapshot rested on a consent that erasure revoked: gone on the next read.
    const inboxAfter = await ok<{ incomingReferrals: { edges: { node: { id: string; status: string; clientData: unknown; clientDataWithdrawnAt: string | null } }[] } }>(
      platform, `{ incomingReferrals(first: 50) { edges { node { id status clientData clientDataWithdrawnAt } } } }`, {}, partner);
    const referral = inboxAfter.incomingReferrals.edges.find((e) => e.node.id === REFERRAL_TO_VHS)!.node;
    expect(referral.clientData).toBeNull();
    expect(referral.clientDataWithdrawnAt).not.toBeNull();

    expect(await comparison()).toEqual(figuresBefore);

    const trail = await ok<Trail>(platform, TRAIL, { clientId: closed.client.id }, await platform.tokenOf('ortenaukreis-auditor'));
    const erasure = trail.auditTrail.cases.edges.map((e) => e.node).find((e) => e.operation === 'eraseClient');
    expect(erasure).toMatchObject({ action: 'WRITE', entityType: 'ClientErasure', fields: ['reason'] });
  });
});

describe('retention: the scheduled job', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    // A retention period of 0 months and a round every half second: a client is anonymised as soon as their last
    // case is closed.
    platform = await startTestPlatform({ env: { CASE_RETENTION_MONTHS: '0', RETENTION_INTERVAL_MS: '500' } });
  }, 120_000);
  afterAll(() => platform?.stop());

  it('anonymises a client once the period after the last closed case has passed, and records it', async () => {
    const lead = await platform.tokenOf('ortenaukreis-lead');
    const caseId = demoId('case', 'ortenau-1');
    const closed = await closeCase(platform, caseId, lead);
    expect(closed.client.givenName).not.toBe('anonymisiert');

    const deadline = Date.now() + 20_000;
    let givenName = closed.client.givenName;
    while (givenName !== 'anonymisiert' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      givenName = (await ok<{ client: { givenName: string } }>(platform, `query($id: ID!) { client(id: $id) { givenName } }`, { id: closed.client.id }, lead)).client.givenName;
    }
    expect(givenName).toBe('anonymisiert');

    const line = platform.lines.find((l) => l.process === 'cases' && l.line.includes('retention: client anonymised') && l.line.includes(closed.client.id));
    expect(line).toBeDefined();
    const trail = await ok<Trail>(platform, TRAIL, { clientId: closed.client.id }, await platform.tokenOf('ortenaukreis-auditor'));
    const system = trail.auditTrail.cases.edges.map((e) => e.node).find((e) => e.action === 'SYSTEM');
    expect(system).toMatchObject({ operation: 'caseRetention', actorUserId: 'retention-worker', entityType: 'Client' });
    expect(system!.fields).toEqual(expect.arrayContaining(['Client.givenName', 'Client.familyName']));

    // Open cases of other clients are left alone.
    const { case: other } = await ok<CaseState>(platform, CASE_STATE, { id: demoId('case', 'ortenau-2') }, lead);
    expect(other.client.givenName).not.toBe('anonymisiert');
  });
});
