import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { demoId, DEMO_ORGANIZATIONS, DEMO_USERS, ownerUrl, postGraphQL, REPOSITORY_ROOT, Role, roleToken } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * The audit trail and the data subject's access export through the gateway (issue 7): reads in the cases and the
 * referrals subgraph are recorded with the stated purpose, an auditor reads them across the subgraphs, a lead
 * exports everything about a client as JSON, and `npm run audit:verify` finds every chain intact.
 */
let platform: TestPlatform;
const O = DEMO_ORGANIZATIONS;
const user = (handle: string) => DEMO_USERS.find((u) => u.handle === handle)!;
const CASE = demoId('case', 'ortenau-2');
const REFERRAL_TO_VHS = demoId('referral', 'ortenau-2-vhs');
let clientId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  const lead = await platform.tokenOf('ortenaukreis-lead');
  const found = await platform.query<{ case: { client: { id: string } } }>(`query($id: ID!) { case(id: $id) { client { id } } }`, { id: CASE }, lead);
  clientId = found.data!.case.client.id;
}, 120_000);
afterAll(() => platform?.stop());

type Entry = { sequence: string; service: string; action: string; operation: string; actorUserId: string; purpose: string | null; entityType: string; entityIds: string[]; fields: string[]; dataOwnerOrganizationId: string };
type Page = { totalCount: number; edges: { node: Entry }[] };
const ENTRY = 'sequence service action operation actorUserId purpose entityType entityIds fields dataOwnerOrganizationId';
const TRAIL = `query($clientId: ID, $userId: String) { auditTrail(clientId: $clientId, userId: $userId) { id caseIds
  cases(first: 100) { totalCount edges { node { ${ENTRY} } } }
  referrals(first: 100) { totalCount edges { node { ${ENTRY} } } }
  directory(first: 100) { totalCount edges { node { ${ENTRY} } } } } }`;
type Trail = { auditTrail: { id: string; caseIds: string[]; cases: Page; referrals: Page; directory: Page } };

describe('the audit trail across the subgraphs', () => {
  it('records a caseworker’s and a partner’s reads with the purpose, and shows them to the auditor', async () => {
    const caseworker = await platform.tokenOf('ortenaukreis-caseworker');
    const read = await postGraphQL(
      platform.gatewayUrl,
      `query Hilfeplan($id: ID!) { case(id: $id) { id status client { givenName } } }`,
      { id: CASE },
      caseworker,
      { 'x-purpose': 'Hilfeplangespräch' },
      { gatewaySecret: null },
    );
    expect(read.errors).toBeUndefined();
    const partner = await platform.tokenOf('vhs-partner');
    const inbox = await platform.query<{ incomingReferrals: { edges: { node: { id: string } }[] } }>(
      `query Inbox { incomingReferrals(first: 50) { edges { node { id status clientData } } } }`,
      {},
      partner,
    );
    expect(inbox.errors).toBeUndefined();
    expect(inbox.data!.incomingReferrals.edges.map((e) => e.node.id)).toContain(REFERRAL_TO_VHS);

    const answer = await platform.query<Trail>(TRAIL, { clientId }, await platform.tokenOf('ortenaukreis-auditor'));
    expect(answer.errors).toBeUndefined();
    const trail = answer.data!.auditTrail;
    expect(trail.caseIds).toEqual([CASE]);
    const caseRead = trail.cases.edges.map((e) => e.node).find((e) => e.purpose === 'Hilfeplangespräch' && e.entityType === 'Case');
    expect(caseRead).toMatchObject({ service: 'cases', action: 'READ', operation: 'case', actorUserId: user('ortenaukreis-caseworker').id, entityIds: [CASE] });
    const partnerRead = trail.referrals.edges.map((e) => e.node).find((e) => e.actorUserId === user('vhs-partner').id && e.entityIds[0] === REFERRAL_TO_VHS);
    expect(partnerRead).toMatchObject({ service: 'referrals', action: 'READ', operation: 'incomingReferrals', entityType: 'Referral', dataOwnerOrganizationId: O.ortenaukreis.id });
    expect(partnerRead!.fields).toEqual(expect.arrayContaining(['clientData', 'id', 'status']));
    expect(trail.directory.totalCount).toBe(0);

    // What the partner's staff did with the Ortenaukreis's data, asked by user.
    const byUser = await platform.query<Trail>(TRAIL, { userId: user('vhs-partner').id }, await platform.tokenOf('ortenaukreis-auditor'));
    expect(byUser.errors).toBeUndefined();
    expect(byUser.data!.auditTrail.referrals.edges.some((e) => e.node.entityIds[0] === REFERRAL_TO_VHS)).toBe(true);
    expect(byUser.data!.auditTrail.cases.totalCount).toBe(0);
  });

  it('records changes of the directory in the partners subgraph', async () => {
    const admin = user('vhs-admin');
    const token = await platform.tokenOf(admin.handle);
    const organization = await platform.query<{ organization: { version: number } }>(`query($id: ID!) { organization(id: $id) { version } }`, { id: O.vhs.id }, token);
    const changed = await platform.query(
      `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id version } }`,
      { input: { id: O.vhs.id, expectedVersion: organization.data!.organization.version, languagesSpoken: ['de', 'en', 'tr'] } },
      token,
    );
    expect(changed.errors).toBeUndefined();
    const auditor = await roleToken(O.vhs.id, Role.Auditor);
    const trail = await platform.query<Trail>(TRAIL, { userId: admin.id }, auditor);
    expect(trail.errors).toBeUndefined();
    const write = trail.data!.auditTrail.directory.edges.map((e) => e.node).find((e) => e.operation === 'updateOrganization');
    expect(write).toMatchObject({ service: 'partners', action: 'WRITE', entityType: 'Organization', entityIds: [O.vhs.id], fields: ['languagesSpoken'] });
  });

  it('is refused to case staff and partners', async () => {
    for (const handle of ['ortenaukreis-caseworker', 'vhs-partner', 'ortenaukreis-coordinator']) {
      const answer = await platform.query(TRAIL, { clientId }, await platform.tokenOf(handle));
      expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(answer.data).toBeNull();
    }
  });
});

describe('the data subject’s export (Art. 15, 20 GDPR)', () => {
  const exportUrl = (id: string) => platform.gatewayUrl.replace(/\/graphql$/, `/exports/data-subject/${id}.json`);
  const get = async (id: string, token?: string) => fetch(exportUrl(id), { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('gives the owning organisation’s lead everything about the client across the subgraphs, with the audit trail', async () => {
    const response = await get(clientId, await platform.tokenOf('ortenaukreis-lead'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('content-disposition')).toContain(`data-subject-${clientId}.json`);
    const document = (await response.json()) as {
      format: string;
      clientId: string;
      client: Record<string, unknown> & { cases: (Record<string, unknown> & { plan: Record<string, unknown> | null })[] };
      auditTrail: Record<string, Entry[]>;
    };
    expect(document.format).toBe('integration-graph/data-subject-export');
    expect(document.clientId).toBe(clientId);
    const lead = await platform.tokenOf('ortenaukreis-lead');
    const direct = await platform.query<{ client: Record<string, unknown> }>(
      `query($id: ID!) { client(id: $id) { givenName familyName dateOfBirth nationalities languages phone email } }`,
      { id: clientId },
      lead,
    );
    expect(document.client).toMatchObject(direct.data!.client);
    const [theCase] = document.client.cases;
    expect(theCase.id).toBe(CASE);
    // Everything below the case, from every subgraph: consents, the plan with goals and revisions (paged), the
    // consultations (paged), the referrals (referrals subgraph) with history and snapshot.
    expect(Array.isArray(theCase.consents)).toBe(true);
    expect(Array.isArray(theCase.consultations)).toBe(true);
    expect(theCase.plan).not.toBeNull();
    expect(Array.isArray(theCase.plan!.goals)).toBe(true);
    expect(Array.isArray(theCase.plan!.revisions)).toBe(true);
    const referrals = theCase.referrals as { id: string; history: unknown[]; clientDataScope: string[] }[];
    expect(referrals.map((r) => r.id)).toContain(REFERRAL_TO_VHS);
    expect(referrals.every((r) => Array.isArray(r.history))).toBe(true);
    expect(document.auditTrail.cases.length).toBeGreaterThan(0);
    expect(document.auditTrail.referrals.some((e) => e.entityIds[0] === REFERRAL_TO_VHS)).toBe(true);

    // The export's own reads are recorded, with its purpose.
    const trail = await platform.query<Trail>(TRAIL, { clientId }, await platform.tokenOf('ortenaukreis-auditor'));
    expect(trail.data!.auditTrail.cases.edges.some((e) => e.node.purpose?.startsWith('Auskunft') && e.node.entityType === 'Client')).toBe(true);
  });

  it('is refused without a token, to case staff, and finds nothing for another organisation’s lead', async () => {
    expect((await get(clientId)).status).toBe(401);
    expect((await get(clientId, await platform.tokenOf('ortenaukreis-caseworker'))).status).toBe(403);
    const foreign = await get(clientId, await roleToken(O.diakonie.id, Role.Lead));
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(await foreign.json())).not.toContain('givenName');
  });
});

describe('npm run audit:verify', () => {
  it('finds the chain of every subgraph database intact and prints the heads', async () => {
    const urls = Object.values(platform.databases).map((plan) => ownerUrl(platform.adminUrl, plan));
    const { stdout } = await promisify(execFile)(process.execPath, [
      path.join(REPOSITORY_ROOT, 'packages/platform/dist/cli/audit-verify.js'),
      ...urls.flatMap((url) => ['--database-url', url]),
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/: \d+ entries, head .+=\d+:[0-9a-f]{64} — chain intact$/);
  });
});
