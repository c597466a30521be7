import { DEMO_ORGANIZATIONS, demoId, demoUserToken, GraphQLResponse, OFFENBURG_AGS, organizationIdForAgs, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { Client } from 'pg';
import { demoMeetingId } from '../src/seed/cooperation';
import { partnersSubgraph } from '../src/subgraph';

/**
 * The municipal app (issue 7, role municipal_app) in the partners subgraph: the public directory (public contact
 * points only), the cooperation meetings and standards of its own district, the comparison of its own district with
 * its own row only; no accommodation sites, no internal figures, no editing. Row-level security says the same.
 */

let partners: TestSubgraph;
const O = DEMO_ORGANIZATIONS;
const OFFENBURG = organizationIdForAgs(OFFENBURG_AGS);
const KEHL = organizationIdForAgs('08317057');
const GOEPPINGEN = organizationIdForAgs('08117');
const MEETING = demoMeetingId('ortenau-2025-03');

const app = () => demoUserToken('offenburg-app');
const codes = (result: GraphQLResponse) => (result.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

describe('the directory for a municipal app', () => {
  it('is the public one: public contact points only, no lastVerifiedBy', async () => {
    const query = `query($id: ID!) { organization(id: $id) { contactPoints { visibility value } lastVerifiedBy } }`;
    const asApp = await partners.graphql<{ organization: { contactPoints: { visibility: string }[]; lastVerifiedBy: string | null } }>(query, { id: O.vhs.id }, await app());
    const asPublic = await partners.graphql<{ organization: { contactPoints: { visibility: string }[] } }>(query, { id: O.vhs.id });
    const asStaff = await partners.graphql<{ organization: { contactPoints: { visibility: string }[] } }>(query, { id: O.vhs.id }, await demoUserToken('offenburg-caseworker'));
    expect(asApp.errors).toBeUndefined();
    expect(asApp.data!.organization.contactPoints).toEqual(asPublic.data!.organization.contactPoints);
    expect(asApp.data!.organization.contactPoints.every((c) => c.visibility === 'PUBLIC')).toBe(true);
    expect(asStaff.data!.organization.contactPoints.some((c) => c.visibility === 'INTERNAL')).toBe(true);
    expect(asApp.data!.organization.lastVerifiedBy).toBeNull();
  });

  it('refuses accommodation sites, staffing and funding (FORBIDDEN on the field), also through _entities', async () => {
    const result = await partners.graphql<{ municipality: { name: string; accommodationSites: unknown; fundingAllocations: unknown } }>(
      `query($ags: String!) { municipality(ags: $ags) { name accommodationSites { name street } fundingAllocations { amountEur } organization { staffing { fullTimeEquivalents } } } }`,
      { ags: OFFENBURG_AGS },
      await app(),
    );
    expect(result.data!.municipality).toMatchObject({ name: 'Offenburg', accommodationSites: null, fundingAllocations: null, organization: { staffing: null } });
    expect(codes(result)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const site = await partners.graphql<{ _entities: unknown[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on AccommodationSite { name street capacity } } }`,
      { r: [{ __typename: 'AccommodationSite', id: demoId('accommodation-site', 'offenburg-weststadt') }] },
      await app(),
    );
    expect(site.data!._entities).toEqual([null]);
  });

  it('may not edit anything, not even its own municipality’s entries (FORBIDDEN)', async () => {
    const attempts = [
      [`mutation($id: ID!) { updateOrganization(input: { id: $id, expectedVersion: 1 }) { id } }`, { id: OFFENBURG }],
      [`mutation($id: ID!) { verifyOrganization(id: $id) { id } }`, { id: OFFENBURG }],
      [`mutation($id: ID!) { addContactPoint(input: { organizationId: $id, kind: EMAIL, value: "app@offenburg.example", visibility: PUBLIC }) { id } }`, { id: OFFENBURG }],
      [`mutation($id: ID!) { recordAccommodationSite(input: { municipalityId: $id, name: "App", capacity: 1 }) { id } }`, { id: OFFENBURG }],
      [`mutation($id: ID!) { updateAccommodationSite(input: { id: $id, expectedVersion: 1 }) { id } }`, { id: demoId('accommodation-site', 'offenburg-weststadt') }],
      [`mutation($id: ID!) { setText(input: { entityType: ORGANIZATION, entityId: $id, field: "description", lang: DE, text: "App", state: ORIGINAL }) { text } }`, { id: OFFENBURG }],
      [`mutation($id: ID!) { updateCooperationMeeting(input: { id: $id, expectedVersion: 1, title: "App" }) { id } }`, { id: MEETING }],
    ] as const;
    for (const [mutation, variables] of attempts) {
      const result = await partners.graphql(mutation, variables, await app());
      expect({ mutation, codes: codes(result), data: result.data }).toEqual({ mutation, codes: ['FORBIDDEN'], data: null });
    }
  });
});

describe('the cooperation for a municipal app', () => {
  it('reads the meetings and standards of its own district', async () => {
    const meetings = await partners.graphql<{ cooperationMeetings: { totalCount: number } }>(
      `query($d: ID!) { cooperationMeetings(districtId: $d) { totalCount } }`,
      { d: O.ortenaukreis.id },
      await app(),
    );
    expect(meetings.errors).toBeUndefined();
    expect(meetings.data!.cooperationMeetings.totalCount).toBeGreaterThan(0);
    const one = await partners.graphql<{ cooperationMeeting: { id: string; participants: { id: string }[] } }>(
      `query($id: ID!) { cooperationMeeting(id: $id) { id participants { id } } }`,
      { id: MEETING },
      await app(),
    );
    expect(one.data!.cooperationMeeting.id).toBe(MEETING);
    expect(one.data!.cooperationMeeting.participants.length).toBeGreaterThan(0);
    const standards = await partners.graphql<{ standards: unknown[] }>(`query($d: ID!) { standards(districtId: $d, period: "2026") { id } }`, { d: O.ortenaukreis.id }, await app());
    expect(standards.data!.standards.length).toBeGreaterThan(0);
  });

  it('not those of another district: FORBIDDEN for the lists, null for a meeting by id', async () => {
    const recorded = await partners.graphql<{ recordCooperationMeeting: { id: string } }>(
      `mutation($d: ID!) { recordCooperationMeeting(input: { districtId: $d, heldOn: "2026-02-02", title: "Kooperationstreffen Göppingen" }) { id } }`,
      { d: GOEPPINGEN },
      await roleToken(GOEPPINGEN, Role.Coordinator),
    );
    expect(recorded.errors).toBeUndefined();
    const id = recorded.data!.recordCooperationMeeting.id;
    for (const query of [`query($d: ID!) { cooperationMeetings(districtId: $d) { totalCount } }`, `query($d: ID!) { standards(districtId: $d) { id } }`]) {
      const result = await partners.graphql(query, { d: GOEPPINGEN }, await app());
      expect({ query, codes: codes(result), data: result.data }).toEqual({ query, codes: ['FORBIDDEN'], data: null });
    }
    const meeting = await partners.graphql(`query($id: ID!) { cooperationMeeting(id: $id) { id title } }`, { id }, await app());
    expect(meeting).toMatchObject({ data: { cooperationMeeting: null } });
    expect(meeting.errors).toBeUndefined();
    // A caseworker anywhere reads every district's (everyone in the cooperation).
    const staff = await partners.graphql(`query($id: ID!) { cooperationMeeting(id: $id) { id } }`, { id }, await demoUserToken('offenburg-caseworker'));
    expect(staff.data).toEqual({ cooperationMeeting: { id } });
  });
});

describe('the comparison for a municipal app', () => {
  const COMPARISON = `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) {
    municipalityIds standards { metric } municipalities { municipalityId municipality { name } } providers { providerId fullTimeEquivalents } } }`;
  type Comparison = {
    districtComparison: { municipalityIds: string[]; standards: unknown[]; municipalities: { municipalityId: string }[]; providers: { providerId: string; fullTimeEquivalents: number | null }[] };
  };

  it('shows its own district with its own municipality’s row only (and itself as a provider), no staffing', async () => {
    const result = await partners.graphql<Comparison>(COMPARISON, { d: O.ortenaukreis.id, p: '2026-T3' }, await app());
    expect(result.errors).toBeUndefined();
    const comparison = result.data!.districtComparison;
    expect(comparison.municipalities.map((m) => m.municipalityId)).toEqual([OFFENBURG]);
    expect(comparison.providers).toEqual([{ providerId: OFFENBURG, fullTimeEquivalents: null }]);
    expect(comparison.municipalityIds).toHaveLength(51);
    expect(comparison.standards.length).toBeGreaterThan(0);
  });

  it('refuses another district, also through _entities', async () => {
    expect(codes(await partners.graphql(COMPARISON, { d: GOEPPINGEN, p: '2026-T3' }, await app()))).toEqual(['FORBIDDEN']);
    const entities = await partners.graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on DistrictStatistics { municipalityIds standards { target } } } }`,
      { r: [{ __typename: 'DistrictStatistics', districtId: GOEPPINGEN, period: '2026-T3' }] },
      await app(),
    );
    expect(codes(entities)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(entities.data ?? null)).not.toContain('target');
  });

  it('judges the standards for its own municipality only; another one’s is FORBIDDEN', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on MunicipalityStatistics { standardResults { metric met } } } }`;
    const representation = (municipalityId: string) => ({ __typename: 'MunicipalityStatistics', municipalityId, period: '2026-T3', caseMetrics: [], referralMetrics: [] });
    const own = await partners.graphql<{ _entities: { standardResults: unknown[] }[] }>(query, { r: [representation(OFFENBURG)] }, await app());
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0].standardResults.length).toBeGreaterThan(0);
    const other = await partners.graphql(query, { r: [representation(KEHL)] }, await app());
    expect(codes(other)).toEqual(['FORBIDDEN']);
  });
});

describe('row-level security for a municipal app', () => {
  let client: Client;
  beforeAll(async () => {
    client = await partners.appClient();
  });
  afterAll(() => client?.end());

  async function count(table: string, organizationId: string, where = 'true'): Promise<number> {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'municipal_app', true)`, [organizationId]);
      return Number((await client.query(`SELECT count(*) FROM ${table} WHERE ${where}`)).rows[0].count);
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('shows the meetings and standards of its own district, no accommodation site and no internal contact point', async () => {
    const [meetings] = await partners.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM cooperation_meetings WHERE district_id = $1`, [O.ortenaukreis.id]);
    expect(await count('cooperation_meetings', OFFENBURG)).toBe(Number(meetings.n));
    expect(await count('standards', OFFENBURG)).toBeGreaterThan(0);
    expect(await count('cooperation_meeting_participants', OFFENBURG)).toBeGreaterThan(0);
    expect(await count('accommodation_sites', OFFENBURG)).toBe(0);
    expect(await count('contact_points', OFFENBURG, `visibility = 'internal'`)).toBe(0);
    expect(await count('staffing_positions', OFFENBURG)).toBe(0);
    expect(await count('funding_allocations', OFFENBURG)).toBe(0);
    // Claiming a district or a partner as its organisation does not help: a municipal app's district is its municipality's.
    for (const organizationId of [O.ortenaukreis.id, O.vhs.id]) {
      expect(await count('cooperation_meetings', organizationId)).toBe(0);
      expect(await count('standards', organizationId)).toBe(0);
    }
  });
});
