import fs from 'node:fs';
import path from 'node:path';
import { DEMO_CASES, DEMO_ORGANIZATIONS, DEMO_REFERRALS, demoUserToken, printSubgraphSdl, Role, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { referralsSubgraph } from '../src/subgraph';

let referrals: TestSubgraph;
const ids = (list: { id: string }[]) => list.map((r) => r.id).sort();

beforeAll(async () => {
  referrals = await startTestSubgraph(referralsSubgraph, { seed: true });
});
afterAll(() => referrals?.stop());

type ReferralRow = { id: string; status: string; case: { id: string } | null; partner: { id: string }; sender: { id: string } };
const LIST = `query($filter: ReferralFilter) { referrals(filter: $filter) { id status case { id } partner { id } sender { id } } }`;

describe('referrals subgraph', () => {
  it('checks in the schema it serves (run `npm run schema` after changing it)', async () => {
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(await printSubgraphSdl(referralsSubgraph)).toBe(checkedIn);
  });

  it('refuses callers without a token and roles without a rule (deny by default)', async () => {
    expect((await referrals.graphql(`{ referrals { id } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const handle of ['ortenaukreis-coordinator', 'ortenaukreis-auditor']) {
      expect((await referrals.graphql(`{ referrals { id } }`, {}, await demoUserToken(handle))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('shows the sending organisation’s case staff all referrals they sent, drafts included', async () => {
    const result = await referrals.graphql<{ referrals: ReferralRow[] }>(LIST, {}, await demoUserToken('ortenaukreis-caseworker'));
    expect(result.errors).toBeUndefined();
    const expected = DEMO_REFERRALS.filter((r) => r.senderOrganizationId === DEMO_ORGANIZATIONS.ortenaukreis.id);
    expect(ids(result.data!.referrals)).toEqual(ids(expected));
    expect(result.data!.referrals.map((r) => r.status)).toContain('DRAFT');
    const dates = DEMO_REFERRALS.filter((r) => expected.some((e) => e.id === r.id)).map((r) => r.createdAt).sort().reverse();
    expect(result.data!.referrals.map((r) => DEMO_REFERRALS.find((d) => d.id === r.id)!.createdAt)).toEqual(dates);
  });

  it('shows a partner only what was sent to it, never drafts, and filters by status', async () => {
    const token = await demoUserToken('vhs-partner');
    const result = await referrals.graphql<{ referrals: ReferralRow[] }>(LIST, {}, token);
    const expected = DEMO_REFERRALS.filter((r) => r.receiverOrganizationId === DEMO_ORGANIZATIONS.vhs.id && r.status !== 'draft');
    expect(ids(result.data!.referrals)).toEqual(ids(expected));
    expect(new Set(result.data!.referrals.map((r) => r.partner.id))).toEqual(new Set([DEMO_ORGANIZATIONS.vhs.id]));
    const sent = await referrals.graphql<{ referrals: ReferralRow[] }>(LIST, { filter: { statuses: ['SENT'], direction: 'RECEIVED' } }, token);
    expect(sent.data!.referrals.map((r) => r.status)).toEqual(['SENT']);
    const outgoing = await referrals.graphql<{ referrals: ReferralRow[] }>(LIST, { filter: { direction: 'SENT' } }, token);
    expect(outgoing.data!.referrals).toEqual([]);
  });

  it('contributes Case.referrals: the referrals of N cases cost one SELECT', async () => {
    referrals.statements.reset();
    const result = await referrals.graphql<{ _entities: { id: string; referrals: { id: string }[] }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id referrals { id status } } } }`,
      { r: DEMO_CASES.map((c) => ({ __typename: 'Case', id: c.id })) },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(result.errors).toBeUndefined();
    for (const entity of result.data!._entities) {
      const expected = DEMO_REFERRALS.filter((r) => r.caseId === entity.id && r.senderOrganizationId === DEMO_ORGANIZATIONS.ortenaukreis.id);
      expect(ids(entity.referrals)).toEqual(ids(expected));
    }
    expect(referrals.statements.selectsFrom('referrals')).toHaveLength(1);
  });

  it('enforces the same rules in PostgreSQL (row-level security on raw SQL)', async () => {
    const client = await referrals.appClient();
    const visible = async (orgId: string, roles: string) => {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
      const { rows } = await client.query('SELECT id FROM referrals');
      await client.query('ROLLBACK');
      return rows.map((r) => r.id as string).sort();
    };
    try {
      expect((await client.query('SELECT id FROM referrals')).rows).toEqual([]);
      expect(await visible(DEMO_ORGANIZATIONS.jobcenter.id, Role.Partner)).toEqual(
        DEMO_REFERRALS.filter((r) => r.receiverOrganizationId === DEMO_ORGANIZATIONS.jobcenter.id).map((r) => r.id).sort(),
      );
      expect(await visible(DEMO_ORGANIZATIONS.jobcenter.id, Role.Caseworker)).toEqual([]);
      expect(await visible(DEMO_ORGANIZATIONS.ortenaukreis.id, Role.Partner)).toEqual([]);
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'partner', true)`, [DEMO_ORGANIZATIONS.vhs.id]);
      await expect(
        client.query(`INSERT INTO referrals (case_id, sender_organization_id, receiver_organization_id, status) VALUES ($1, $2, $3, 'sent')`, [
          DEMO_CASES[0].id,
          DEMO_ORGANIZATIONS.ortenaukreis.id,
          DEMO_ORGANIZATIONS.vhs.id,
        ]),
      ).rejects.toThrow(/row-level security/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
