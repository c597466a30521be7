import { DEMO_ORGANIZATIONS, demoUserToken, OFFENBURG_AGS, organizationIdForAgs, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

let partners: TestSubgraph;
const O = DEMO_ORGANIZATIONS;

beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

const COMPARISON = `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) {
  districtId period district { name } municipalityIds providerIds standards { metric target direction }
  municipalities { municipalityId period municipality { name } provider { name } }
  providers { providerId provider { name } fullTimeEquivalents }
} }`;

type Comparison = {
  districtComparison: {
    municipalityIds: string[];
    providerIds: string[];
    standards: { metric: string; target: number; direction: string }[];
    municipalities: { municipalityId: string; period: string; municipality: { name: string }; provider: { name: string } | null }[];
    providers: { providerId: string; provider: { name: string }; fullTimeEquivalents: number | null }[];
  };
};

describe('the district comparison (partners’ part)', () => {
  it('lists every municipality of the district with its provider, the providers and the standards of the period', async () => {
    const result = await partners.graphql<Comparison>(COMPARISON, { d: O.ortenaukreis.id, p: '2026-T3' }, await demoUserToken('ortenaukreis-coordinator'));
    expect(result.errors).toBeUndefined();
    const comparison = result.data!.districtComparison;
    expect(comparison.municipalities).toHaveLength(51);
    expect(comparison.municipalityIds).toHaveLength(51);
    const offenburg = comparison.municipalities.find((m) => m.municipalityId === organizationIdForAgs(OFFENBURG_AGS))!;
    expect(offenburg).toMatchObject({ period: '2026-T3', municipality: { name: 'Offenburg' }, provider: { name: 'Offenburg' } });
    expect(comparison.providerIds).toEqual(expect.arrayContaining([O.ortenaukreis.id, O.offenburg.id, O.diakonie.id]));
    const district = comparison.providers.find((p) => p.providerId === O.ortenaukreis.id)!;
    expect(district.fullTimeEquivalents).toBe(25);
    expect(comparison.standards.length).toBeGreaterThan(0);
  });

  it('shows staffing figures only to coordinators and the provider’s leads', async () => {
    const asCaseworker = await partners.graphql<Comparison>(COMPARISON, { d: O.ortenaukreis.id, p: '2026-T3' }, await demoUserToken('offenburg-caseworker'));
    expect(asCaseworker.data!.districtComparison.providers.every((p) => p.fullTimeEquivalents === null)).toBe(true);
  });

  it('is for the cooperation’s members only, and names the rule of a bad period', async () => {
    expect((await partners.graphql(COMPARISON, { d: O.ortenaukreis.id, p: '2026-T3' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await partners.graphql(COMPARISON, { d: O.ortenaukreis.id, p: '2026-T3' }, await demoUserToken('vhs-partner'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bad = await partners.graphql(COMPARISON, { d: O.ortenaukreis.id, p: '2026-Q3' }, await demoUserToken('ortenaukreis-coordinator'));
    expect(bad.errors?.[0].extensions).toMatchObject({ field: 'period', rule: 'isPeriod' });
  });

  it('judges the standards against the figures the other subgraphs provide (@requires), and not suppressed ones', async () => {
    const standards = (await partners.graphql<Comparison>(COMPARISON, { d: O.ortenaukreis.id, p: '2026-T3' }, await demoUserToken('ortenaukreis-coordinator'))).data!
      .districtComparison.standards;
    const atLeast = standards.find((s) => s.direction === 'AT_LEAST')!;
    const name = atLeast.metric;
    const representation = (value: number | null, suppressed: boolean) => ({
      __typename: 'MunicipalityStatistics',
      municipalityId: organizationIdForAgs(OFFENBURG_AGS),
      period: '2026-T3',
      caseMetrics: [{ metric: name, value, suppressed }],
      referralMetrics: [],
    });
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on MunicipalityStatistics { standardResults { metric value met suppressed standard { target } } } } }`;
    const result = await partners.graphql<{ _entities: { standardResults: { metric: string; value: number | null; met: boolean | null; suppressed: boolean }[] }[] }>(
      query,
      { r: [representation(Number(atLeast.target) + 0.01, false), representation(Number(atLeast.target) - 0.01, false), representation(null, true)] },
      await roleToken(O.offenburg.id, Role.Lead),
    );
    expect(result.errors).toBeUndefined();
    const verdicts = result.data!._entities.map((e) => e.standardResults.find((r) => r.metric === name)!);
    expect(verdicts.map((v) => [v.met, v.suppressed])).toEqual([
      [true, false],
      [false, false],
      [null, true],
    ]);
    for (const entity of result.data!._entities) {
      const others = entity.standardResults.filter((r) => r.metric !== name);
      expect(others.every((r) => r.met === null && r.value === null)).toBe(true);
    }
  });
});
