import { DEMO_CASES, DEMO_ORGANIZATIONS, DEMO_REFERRALS } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(() => platform?.stop());

const DONE_WHEN_QUERY = `{ referrals { id status case { id status ownerOrganization { name } } partner { name kind } } }`;

type ReferralView = {
  id: string;
  status: string;
  case: { id: string; status: string; ownerOrganization: { name: string } } | null;
  partner: { name: string; kind: string };
};

describe('the platform through the gateway', () => {
  it('answers the cross-subgraph referrals query for a caseworker with data from all three subgraphs', async () => {
    const result = await platform.query<{ referrals: ReferralView[] }>(DONE_WHEN_QUERY, {}, await platform.tokenOf('ortenaukreis-caseworker'));
    expect(result.errors).toBeUndefined();
    const sent = DEMO_REFERRALS.filter((r) => r.senderOrganizationId === DEMO_ORGANIZATIONS.ortenaukreis.id);
    expect(result.data!.referrals.map((r) => r.id).sort()).toEqual(sent.map((r) => r.id).sort());
    for (const referral of result.data!.referrals) {
      const demo = DEMO_REFERRALS.find((r) => r.id === referral.id)!;
      const demoCase = DEMO_CASES.find((c) => c.id === demo.caseId)!;
      const partner = Object.values(DEMO_ORGANIZATIONS).find((o) => o.id === demo.receiverOrganizationId)!;
      expect(referral).toEqual({
        id: demo.id,
        status: demo.status.toUpperCase(),
        case: { id: demoCase.id, status: demoCase.status.toUpperCase(), ownerOrganization: { name: 'Ortenaukreis' } },
        partner: { name: partner.name, kind: partner.kind.toUpperCase() },
      });
    }
  });

  it('rejects the same query without a token with a clear error', async () => {
    const result = await platform.query(DONE_WHEN_QUERY);
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].message).toBe('Authentication required: send "Authorization: Bearer <token>"');
    expect(result.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a forged or expired token at the gateway with HTTP 401', async () => {
    const token = await platform.tokenOf('ortenaukreis-caseworker');
    const [header, payload] = token.split('.');
    const forged = await platform.query(DONE_WHEN_QUERY, {}, `${header}.${payload}.AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows a partner its inbox without the case behind it', async () => {
    const result = await platform.query<{ referrals: (ReferralView & { sender: { name: string } })[] }>(
      `{ referrals { id status case { id status } partner { name } sender { name } } }`,
      {},
      await platform.tokenOf('jobcenter-partner'),
    );
    expect(result.errors).toBeUndefined();
    expect(result).not.toHaveProperty('extensions');
    const received = DEMO_REFERRALS.filter((r) => r.receiverOrganizationId === DEMO_ORGANIZATIONS.jobcenter.id && r.status !== 'draft');
    expect(result.data!.referrals.map((r) => r.id).sort()).toEqual(received.map((r) => r.id).sort());
    for (const referral of result.data!.referrals) {
      expect(referral.case).toBeNull();
      expect(referral.partner.name).toBe(DEMO_ORGANIZATIONS.jobcenter.name);
    }
  });

  it('joins Case.referrals from the referrals subgraph onto cases, and serves the public directory without a token', async () => {
    const token = await platform.tokenOf('offenburg-caseworker');
    const result = await platform.query<{ cases: { edges: { node: { id: string; referrals: { id: string; partner: { name: string } }[] } }[] } }>(
      `{ cases(first: 100) { edges { node { id referrals { id partner { name } } } } } }`,
      {},
      token,
    );
    expect(result.errors).toBeUndefined();
    const caseIds = result.data!.cases.edges.map((e) => e.node.id);
    const ownDemoCases = DEMO_CASES.filter((c) => c.ownerOrganizationId === DEMO_ORGANIZATIONS.offenburg.id);
    expect(caseIds).toEqual(expect.arrayContaining(ownDemoCases.map((c) => c.id)));
    expect(DEMO_CASES.filter((c) => caseIds.includes(c.id)).every((c) => c.ownerOrganizationId === DEMO_ORGANIZATIONS.offenburg.id)).toBe(true);
    for (const { node } of result.data!.cases.edges) {
      expect(node.referrals.map((r) => r.id).sort()).toEqual(DEMO_REFERRALS.filter((r) => r.caseId === node.id).map((r) => r.id).sort());
    }
    const directory = await platform.query<{ organizations: { edges: { node: { name: string } }[] } }>(
      `{ organizations(filter: { kinds: [DISTRICT], text: "ortenau" }) { edges { node { name } } } }`,
    );
    expect(directory.data).toEqual({ organizations: { edges: [{ node: { name: 'Ortenaukreis' } }] } });
  });

  it('serves the public directory to a municipal app without a token, and internal figures only to a coordinator', async () => {
    const courses = await platform.query<{ offerings: { totalCount: number; edges: { node: { title: { language: string }; seatsFree: number } }[] } }>(
      `{ offerings(filter: { lifeAreas: ["language"], hasFreeSeats: true, reachableFromAgs: "08317096" }, first: 2) {
          totalCount edges { node { title(lang: UK) { text language } seatsFree } } } }`,
    );
    expect(courses.errors).toBeUndefined();
    expect(courses.data!.offerings.totalCount).toBeGreaterThan(2);
    expect(courses.data!.offerings.edges).toHaveLength(2);
    for (const { node } of courses.data!.offerings.edges) {
      expect(['UK', 'DE']).toContain(node.title.language);
      expect(node.seatsFree).toBeGreaterThan(0);
    }
    const INTERNAL = `{ municipality(ags: "08116033") { name fundingAllocations { amountEur } } }`;
    const asPublic = await platform.query<{ municipality: { name: string; fundingAllocations: null } }>(INTERNAL);
    expect(asPublic.data!.municipality).toEqual({ name: 'Kirchheim unter Teck', fundingAllocations: null });
    expect(asPublic.errors?.[0]).toMatchObject({ path: ['municipality', 'fundingAllocations'], extensions: { code: 'UNAUTHENTICATED' } });
    expect(asPublic.errors?.[0].message).toContain('Municipality.fundingAllocations');
    const asCoordinator = await platform.query<{ municipality: { fundingAllocations: { amountEur: string }[] } }>(
      INTERNAL,
      {},
      await platform.tokenOf('ortenaukreis-coordinator'),
    );
    expect(asCoordinator.errors).toBeUndefined();
    expect(asCoordinator.data!.municipality.fundingAllocations.map((f) => f.amountEur)).toContain('213349.00');
  });

  it('writes through the gateway and reads the write back', async () => {
    const token = await platform.tokenOf('diakonie-caseworker');
    const opened = await platform.query<{ openCase: { id: string; status: string; ownerOrganization: { name: string } } }>(
      `mutation($client: NewClientInput!) { openCase(input: { client: $client, idempotencyKey: "e2e-open-5b1c" }) { id status ownerOrganization { name } } }`,
      {
        client: {
          givenName: 'Samira', familyName: 'Beispiel', dateOfBirth: '1988-03-02', gender: 'FEMALE', nationalities: ['AF'], languages: ['fa'],
          arrivedOn: '2019-09-01', residenceStatus: 'SUBSIDIARY_PROTECTION', followUpAccommodation: 'CURRENT',
        },
      },
      token,
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data!.openCase).toMatchObject({ status: 'INTAKE', ownerOrganization: { name: DEMO_ORGANIZATIONS.diakonie.name } });
    const read = await platform.query(`query($id: ID!) { case(id: $id) { id } }`, { id: opened.data!.openCase.id }, token);
    expect(read.data).toEqual({ case: { id: opened.data!.openCase.id } });
  });

  it('generates a request id at the gateway, returns it and forwards it to the subgraphs', async () => {
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await platform.tokenOf('ortenaukreis-lead')}` },
      body: JSON.stringify({ query: '{ cases(first: 5) { edges { node { id ownerOrganization { name } } } } }' }),
    });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = (name: string) => platform.lines.some((l) => l.process === name && l.line.includes(requestId!));
    expect(logged('gateway')).toBe(true);
    expect(logged('cases')).toBe(true);
    expect(logged('partners')).toBe(true);
    const line = platform.lines.find((l) => l.process === 'cases' && l.line.includes(requestId!))!;
    expect(JSON.parse(line.line)).toMatchObject({ service: 'cases', requestId, msg: 'graphql request' });
  });

  it('reports health and readiness of the gateway and its subgraphs', async () => {
    const base = platform.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      service: 'gateway',
      subgraphs: { partners: 'ready', cases: 'ready', referrals: 'ready' },
    });
  });
});
