import { DEMO_ORGANIZATIONS, DEMO_USERS, demoUserToken, Role, roleToken, startTestSubgraph, TestSubgraph, testToken } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

let partners: TestSubgraph;
const O = DEMO_ORGANIZATIONS;


beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

/** Runs a test with DIRECTORY_STALE_AFTER_DAYS set (the subgraph runs in this process and reads it per request). */
async function withStaleAfterDays<T>(days: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.DIRECTORY_STALE_AFTER_DAYS;
  process.env.DIRECTORY_STALE_AFTER_DAYS = days;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.DIRECTORY_STALE_AFTER_DAYS;
    else process.env.DIRECTORY_STALE_AFTER_DAYS = previous;
  }
}

interface Freshness {
  id: string;
  isStale: boolean;
  lastVerifiedAt: string | null;
  lastVerifiedBy: string | null;
  updatedAt: string;
  version: number;
}

const FRESHNESS = `query($id: ID!) { organization(id: $id) { id isStale lastVerifiedAt lastVerifiedBy updatedAt version } }`;
const VERIFY = `mutation($id: ID!) { verifyOrganization(id: $id) { id isStale lastVerifiedAt lastVerifiedBy updatedAt version } }`;
const STALE = `query($first: Int, $after: String) { staleOrganizations(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id lastVerifiedAt isStale } } } }`;

async function freshness(id: string, token?: string): Promise<Freshness> {
  const result = await partners.graphql<{ organization: Freshness }>(FRESHNESS, { id }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.organization;
}

const row = async (id: string) =>
  (
    await partners.ownerQuery<{ version: number; updated_at: Date; last_verified_at: Date | null; last_verified_by: string | null }>(
      `SELECT version, updated_at, last_verified_at, last_verified_by FROM organizations WHERE id = $1`,
      [id],
    )
  )[0];

interface StalePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string; lastVerifiedAt: string | null; isStale: boolean } }[];
}

async function stalePage(token: string | undefined, first = 20, after?: string) {
  return partners.graphql<{ staleOrganizations: StalePage }>(STALE, { first, after }, token);
}

describe('freshness', () => {
  it('flags an entry not verified within DIRECTORY_STALE_AFTER_DAYS (default 180) as stale', async () => {
    expect(await freshness(O.volunteers.id)).toMatchObject({ isStale: true, lastVerifiedAt: '2024-03-01T10:00:00.000Z' });
    expect(await freshness(O.vhs.id)).toMatchObject({ isStale: false });
  });

  it('follows the configured threshold', async () => {
    const days = Math.ceil((Date.now() - Date.parse('2024-03-01T10:00:00Z')) / 86_400_000);
    await withStaleAfterDays(String(days), async () => expect((await freshness(O.volunteers.id)).isStale).toBe(false));
    await withStaleAfterDays(String(days - 2), async () => expect((await freshness(O.volunteers.id)).isStale).toBe(true));
    await withStaleAfterDays('0', async () => expect((await freshness(O.vhs.id)).isStale).toBe(true));
  });

  it('tells who verified an entry to authenticated callers only', async () => {
    expect((await freshness(O.vhs.id)).lastVerifiedBy).toBeNull();
    expect((await freshness(O.vhs.id, await demoUserToken('jobcenter-partner'))).lastVerifiedBy).toBe('seed');
  });

  describe('verifying', () => {
    it.each([
      ['FORBIDDEN', 'an org_admin of another organisation', () => roleToken(O.vhs.id, Role.OrgAdmin)],
      ['FORBIDDEN', 'a caseworker', () => demoUserToken('ortenaukreis-caseworker')],
      ['FORBIDDEN', 'staff with the partner role', () => roleToken(O.volunteers.id, Role.Partner)],
      ['UNAUTHENTICATED', 'a caller without a token', async () => undefined],
    ])('refuses with %s %s and changes nothing', async (code, _who, token) => {
      const before = await row(O.volunteers.id);
      const result = await partners.graphql(VERIFY, { id: O.volunteers.id }, await token());
      expect(result.errors?.[0].extensions?.code).toBe(code);
      expect(await row(O.volunteers.id)).toEqual(before);
    });

    it('records when and by whom, without changing updatedAt or the version', async () => {
      const before = await row(O.volunteers.id);
      const token = await testToken({ userId: 'freundeskreis-admin', organizationId: O.volunteers.id, roles: [Role.OrgAdmin] });
      const startedAt = Date.now();
      const result = await partners.graphql<{ verifyOrganization: Freshness }>(VERIFY, { id: O.volunteers.id }, token);
      expect(result.errors).toBeUndefined();
      const verified = result.data!.verifyOrganization;
      expect(verified).toMatchObject({ isStale: false, lastVerifiedBy: 'freundeskreis-admin', version: before.version });
      expect(Date.parse(verified.lastVerifiedAt!)).toBeGreaterThanOrEqual(startedAt - 1_000);
      expect(Date.parse(verified.updatedAt)).toBe(before.updated_at.getTime());
      expect(await row(O.volunteers.id)).toMatchObject({ version: before.version, updated_at: before.updated_at, last_verified_by: 'freundeskreis-admin' });
    });

    it('lets a coordinator verify any entry, and answers NOT_FOUND for an unknown one', async () => {
      const token = await demoUserToken('ortenaukreis-coordinator');
      const result = await partners.graphql<{ verifyOrganization: Freshness }>(VERIFY, { id: O.mbe.id }, token);
      expect(result.data!.verifyOrganization.lastVerifiedBy).toBe(DEMO_USERS.find((u) => u.handle === 'ortenaukreis-coordinator')!.id);
      const unknown = await partners.graphql(VERIFY, { id: '00000000-0000-4000-8000-000000000000' }, token);
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('stale entries (staleOrganizations)', () => {
    beforeAll(async () => {
      await partners.ownerQuery(`UPDATE organizations SET last_verified_at = '2023-05-02T08:00:00Z', last_verified_by = 'seed' WHERE id = $1`, [O.caritas.id]);
      await partners.ownerQuery(`UPDATE organizations SET last_verified_at = NULL, last_verified_by = NULL WHERE id = $1`, [O.diakonie.id]);
    });

    it('shows a coordinator every stale entry, never verified first, then the longest unverified', async () => {
      const result = await stalePage(await demoUserToken('ortenaukreis-coordinator'));
      expect(result.errors).toBeUndefined();
      const ids = result.data!.staleOrganizations.edges.map((edge) => edge.node.id);
      expect(ids).toEqual([O.diakonie.id, O.caritas.id]);
      expect(result.data!.staleOrganizations.totalCount).toBe(2);
      expect(result.data!.staleOrganizations.edges.every((edge) => edge.node.isStale)).toBe(true);
    });

    it('shows an org_admin or lead the stale entry of their own organisation only', async () => {
      const own = await stalePage(await roleToken(O.caritas.id, Role.Lead));
      expect(own.data!.staleOrganizations.edges.map((edge) => edge.node.id)).toEqual([O.caritas.id]);
      const none = await stalePage(await roleToken(O.vhs.id, Role.OrgAdmin));
      expect(none.data!.staleOrganizations).toMatchObject({ totalCount: 0, edges: [] });
    });

    it.each([
      ['FORBIDDEN', 'a caseworker', () => demoUserToken('ortenaukreis-caseworker')],
      ['FORBIDDEN', 'staff with the partner role', () => demoUserToken('vhs-partner')],
      ['UNAUTHENTICATED', 'a caller without a token', async () => undefined],
    ])('refuses with %s %s', async (code, _who, token) => {
      const result = await stalePage(await token());
      expect(result.errors?.[0].extensions?.code).toBe(code);
    });

    it('pages through all stale entries without gaps or repetitions, oldest verification first', async () => {
      await withStaleAfterDays('0', async () => {
        const token = await demoUserToken('ortenaukreis-coordinator');
        const [{ count }] = await partners.ownerQuery<{ count: number }>(`SELECT count(*)::int AS count FROM organizations`);
        const seen: StalePage['edges'] = [];
        let after: string | undefined;
        for (let page = 0; page < 100; page++) {
          const result = await stalePage(token, 7, after);
          expect(result.errors).toBeUndefined();
          expect(result.data!.staleOrganizations.totalCount).toBe(count);
          seen.push(...result.data!.staleOrganizations.edges);
          if (!result.data!.staleOrganizations.pageInfo.hasNextPage) break;
          after = result.data!.staleOrganizations.pageInfo.endCursor!;
        }
        expect(seen).toHaveLength(count);
        expect(new Set(seen.map((edge) => edge.node.id)).size).toBe(count);
        const times = seen.map((edge) => (edge.node.lastVerifiedAt ? Date.parse(edge.node.lastVerifiedAt) : -Infinity));
        expect(times).toEqual([...times].sort((a, b) => a - b));
      });
    });
  });
});
