import { createDataSource, createLogger, DEMO_ORGANIZATIONS, demoUserToken, GraphQLResponse, organizationIdForAgs, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

/**
 * Responsibility for integration management, staffing, funding and follow-up accommodation sites (issue 3):
 * public and internal reads, coordinator and editor mutations, exact decimals, optimistic concurrency and
 * row-level security in PostgreSQL.
 */

let partners: TestSubgraph;

const O = DEMO_ORGANIZATIONS;
const DISTRICT = O.ortenaukreis.id;
const ESSLINGEN_DISTRICT = organizationIdForAgs('08116');
const AGS = {
  offenburg: '08317096',
  kehl: '08317057',
  appenweier: '08317005',
  durbach: '08317021',
  ettenheim: '08317026',
  friesenheim: '08317031',
  kirchheim: '08116033',
} as const;
const id = (ags: string) => organizationIdForAgs(ags);

const coordinator = () => demoUserToken('ortenaukreis-coordinator');

type Errors = GraphQLResponse['errors'];
const codeOf = (errors: Errors) => errors?.[0]?.extensions?.code;

beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

interface Responsibility {
  id: string;
  mode: string;
  associationName: string | null;
  validFrom: string;
  validUntil: string | null;
  version: number;
  provider: { id: string; name: string };
  municipality: { id: string; ags: string; name: string };
}
const RESPONSIBILITY = 'id mode associationName validFrom validUntil version provider { id name } municipality { id ags name }';

async function providerAt(ags: string, at?: string): Promise<Responsibility | null> {
  const result = await partners.graphql<{ municipality: { integrationManagementProvider: Responsibility | null } }>(
    `query($ags: String, $at: LocalDate) { municipality(ags: $ags) { integrationManagementProvider(at: $at) { ${RESPONSIBILITY} } } }`,
    { ags, at },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.municipality.integrationManagementProvider;
}

async function history(ags: string): Promise<Responsibility[]> {
  const result = await partners.graphql<{ municipality: { integrationManagementHistory: Responsibility[] } }>(
    `query($ags: String) { municipality(ags: $ags) { integrationManagementHistory { ${RESPONSIBILITY} } } }`,
    { ags },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.municipality.integrationManagementHistory;
}

const ASSIGN = `mutation($input: AssignIntegrationManagementInput!) { assignIntegrationManagement(input: $input) { ${RESPONSIBILITY} } }`;
const END = `mutation($input: EndIntegrationManagementInput!) { endIntegrationManagement(input: $input) { ${RESPONSIBILITY} } }`;
const RECORD_STAFFING = `mutation($input: RecordStaffingInput!) { recordStaffing(input: $input) { id validFrom validUntil fullTimeEquivalents note version provider { id } } }`;
const RECORD_FUNDING = `mutation($input: RecordFundingAllocationInput!) {
  recordFundingAllocation(input: $input) { id program periodStart periodEnd amountEur municipality { ags } recipient { id } } }`;
const RECORD_SITE = `mutation($input: RecordAccommodationSiteInput!) {
  recordAccommodationSite(input: $input) { id name street postalCode capacity openedOn closedOn version municipality { ags } } }`;
const UPDATE_SITE = `mutation($input: UpdateAccommodationSiteInput!) { updateAccommodationSite(input: $input) { id name capacity closedOn version } }`;

describe('demo data', () => {
  it('splits the Ortenaukreis 40/11: the district serves 40 municipalities, 11 organise it otherwise (one SELECT for all 51)', async () => {
    partners.statements.reset();
    const result = await partners.graphql<{
      municipalities: { totalCount: number; edges: { node: { ags: string; integrationManagementProvider: Responsibility | null } }[] };
    }>(
      `query($district: ID) { municipalities(districtId: $district, first: 100) { totalCount edges { node { ags
         integrationManagementProvider(at: "2024-06-01") { mode associationName provider { id kind } municipality { id } } } } } }`,
      { district: DISTRICT },
    );
    expect(result.errors).toBeUndefined();
    expect(partners.statements.selectsFrom('integration_management_responsibilities')).toHaveLength(1);
    const nodes = result.data!.municipalities.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(51);
    const byMode = (mode: string) => nodes.filter((node) => node.integrationManagementProvider?.mode === mode);
    expect(byMode('DISTRICT')).toHaveLength(40);
    expect(byMode('DISTRICT').every((node) => node.integrationManagementProvider!.provider.id === DISTRICT)).toBe(true);
    expect(nodes.length - byMode('DISTRICT').length).toBe(11);
    expect(byMode('SELF').every((node) => node.integrationManagementProvider!.provider.id === id(node.ags))).toBe(true);
    expect(byMode('SELF').map((node) => node.ags).sort()).toEqual(['08317001', '08317057', '08317065', '08317096']);
    expect(byMode('INTERMUNICIPAL')).toHaveLength(3);
    expect(new Set(byMode('INTERMUNICIPAL').map((node) => node.integrationManagementProvider!.associationName))).toEqual(
      new Set(['Integrationsmanagement Kinzigtal (Demo)']),
    );
    expect(new Set(byMode('DELEGATED').map((node) => node.integrationManagementProvider!.provider.id))).toEqual(new Set([O.diakonie.id, O.caritas.id]));
    expect(byMode('DELEGATED')).toHaveLength(4);
    for (const node of nodes) expect(node.integrationManagementProvider!.municipality.id).toBe(id(node.ags));
  });

  it('seeds the district’s 25.00 full-time equivalents and the Kirchheim allocations as exact decimals', async () => {
    const token = await coordinator();
    const staffing = await partners.graphql<{ organization: { staffing: { fullTimeEquivalents: string; validFrom: string }[] } }>(
      `query($id: ID!) { organization(id: $id) { staffing { fullTimeEquivalents validFrom } } }`,
      { id: DISTRICT },
      token,
    );
    expect(staffing.errors).toBeUndefined();
    expect(staffing.data!.organization.staffing).toEqual([{ fullTimeEquivalents: '25.00', validFrom: '2023-01-01' }]);
    const funding = await partners.graphql<{ municipality: { fundingAllocations: { amountEur: string; recipient: { id: string } }[] } }>(
      `query($ags: String) { municipality(ags: $ags) { fundingAllocations { amountEur recipient { id } } } }`,
      { ags: AGS.kirchheim },
      token,
    );
    expect(funding.errors).toBeUndefined();
    expect(funding.data!.municipality.fundingAllocations).toEqual([{ amountEur: '213349.00', recipient: { id: id(AGS.kirchheim) } }]);
  });

  it('seeds idempotently', async () => {
    const tables = ['integration_management_responsibilities', 'staffing_positions', 'funding_allocations', 'accommodation_sites'];
    const snapshot = async () => {
      const rows: unknown[][] = [];
      for (const table of tables) rows.push(await partners.ownerQuery(`SELECT id, version FROM ${table} ORDER BY id`));
      return rows;
    };
    const before = await snapshot();
    // 51 responsibilities, 8 staffing figures, 6 Kirchheim + 4 Ortenau allocations, 3 accommodation sites.
    expect(before.map((rows) => rows.length)).toEqual([51, 8, 10, 3]);
    const owner = createDataSource({ url: partners.database.ownerUrl, applicationName: 'seed-again', entities: partnersSubgraph.entities });
    await owner.initialize();
    try {
      await owner.transaction((manager) => partnersSubgraph.seedDemoData!(manager, createLogger('test')));
    } finally {
      await owner.destroy();
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('who provides integration management (public)', () => {
  it('answers for a day inside the period, null before it, and today by default, without a token', async () => {
    expect(await providerAt(AGS.offenburg, '2024-06-01')).toMatchObject({ mode: 'SELF', provider: { id: id(AGS.offenburg) }, validUntil: null });
    expect(await providerAt(AGS.offenburg, '2023-01-01')).toMatchObject({ mode: 'SELF' });
    expect(await providerAt(AGS.offenburg, '2022-12-31')).toBeNull();
    expect(await providerAt(AGS.durbach)).toMatchObject({ mode: 'DISTRICT', provider: { id: DISTRICT, name: 'Ortenaukreis' } });
    expect(await history(AGS.durbach)).toHaveLength(1);
  });

  it('refuses a day that is not a LocalDate', async () => {
    const result = await partners.graphql(`{ municipality(ags: "08317096") { integrationManagementProvider(at: "2024-02-30") { id } } }`);
    expect(codeOf(result.errors)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('assigning integration management', () => {
  it('ends the current open period the day before the new one (re-assignment)', async () => {
    const result = await partners.graphql<{ assignIntegrationManagement: Responsibility }>(
      ASSIGN,
      { input: { municipalityId: id(AGS.appenweier), providerOrganizationId: O.diakonie.id, mode: 'DELEGATED', validFrom: '2025-07-01' } },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.assignIntegrationManagement).toMatchObject({
      mode: 'DELEGATED',
      validFrom: '2025-07-01',
      validUntil: null,
      version: 1,
      provider: { id: O.diakonie.id },
      municipality: { id: id(AGS.appenweier), ags: AGS.appenweier, name: 'Appenweier' },
    });
    const periods = await history(AGS.appenweier);
    expect(periods.map((p) => [p.mode, p.validFrom, p.validUntil, p.version])).toEqual([
      ['DISTRICT', '2023-01-01', '2025-06-30', 2],
      ['DELEGATED', '2025-07-01', null, 1],
    ]);
    expect(await providerAt(AGS.appenweier, '2025-06-30')).toMatchObject({ mode: 'DISTRICT' });
    expect(await providerAt(AGS.appenweier, '2025-07-01')).toMatchObject({ mode: 'DELEGATED', provider: { id: O.diakonie.id } });
  });

  it('refuses an overlapping period with rule noOverlap and changes nothing', async () => {
    const token = await coordinator();
    const before = await history(AGS.appenweier);
    // Inside the closed district period.
    const inside = await partners.graphql(
      ASSIGN,
      { input: { municipalityId: id(AGS.appenweier), providerOrganizationId: id(AGS.appenweier), mode: 'SELF', validFrom: '2024-01-01', validUntil: '2024-12-31' } },
      token,
    );
    expect(inside.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validFrom', rule: 'noOverlap' });
    expect(inside.errors?.[0].message).toMatch(/overlaps/);
    // Starting the same day as the open period: nothing to end before it.
    const sameDay = await partners.graphql(
      ASSIGN,
      { input: { municipalityId: id(AGS.durbach), providerOrganizationId: id(AGS.durbach), mode: 'SELF', validFrom: '2023-01-01' } },
      token,
    );
    expect(sameDay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'noOverlap' });
    expect(await history(AGS.appenweier)).toEqual(before);
    expect(await history(AGS.durbach)).toHaveLength(1);
  });

  const valid = { municipalityId: id(AGS.ettenheim), providerOrganizationId: DISTRICT, mode: 'DISTRICT', validFrom: '2026-01-01' };
  it.each([
    ['DISTRICT needs the municipality’s own district', { providerOrganizationId: ESSLINGEN_DISTRICT }, 'input.providerOrganizationId', 'isParentDistrict'],
    ['DISTRICT refuses a welfare organisation', { providerOrganizationId: O.diakonie.id }, 'input.providerOrganizationId', 'isParentDistrict'],
    ['SELF needs the municipality itself', { mode: 'SELF', providerOrganizationId: id(AGS.kehl) }, 'input.providerOrganizationId', 'isMunicipalityItself'],
    ['DELEGATED needs a welfare organisation', { mode: 'DELEGATED', providerOrganizationId: O.jobcenter.id }, 'input.providerOrganizationId', 'isWelfareOrganization'],
    ['INTERMUNICIPAL needs an association name', { mode: 'INTERMUNICIPAL', providerOrganizationId: id(AGS.friesenheim) }, 'input.associationName', 'required'],
    ['INTERMUNICIPAL refuses a blank association name', { mode: 'INTERMUNICIPAL', providerOrganizationId: id(AGS.friesenheim), associationName: '  ' }, 'input.associationName', 'required'],
    ['INTERMUNICIPAL needs a municipality as provider', { mode: 'INTERMUNICIPAL', providerOrganizationId: DISTRICT, associationName: 'Verband' }, 'input.providerOrganizationId', 'isMunicipality'],
    ['an association name belongs to INTERMUNICIPAL only', { associationName: 'Verband' }, 'input.associationName', 'onlyForIntermunicipal'],
    ['the municipality must be a municipality', { municipalityId: DISTRICT }, 'input.municipalityId', 'isMunicipality'],
    ['the municipality must exist', { municipalityId: '00000000-0000-4000-8000-000000000000' }, 'input.municipalityId', 'isMunicipality'],
    ['the municipality id must be a UUID', { municipalityId: 'offenburg' }, 'input.municipalityId', 'isUuid'],
    ['the provider must exist', { providerOrganizationId: '00000000-0000-4000-8000-000000000000' }, 'input.providerOrganizationId', 'exists'],
    ['validUntil is not before validFrom', { validUntil: '2025-12-31' }, 'input.validUntil', 'endAfterStart'],
  ])('%s', async (_name, change, field, rule) => {
    const result = await partners.graphql(ASSIGN, { input: { ...valid, ...change } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(result.data).toBeNull();
  });

  it('accepts each mode with a fitting provider', async () => {
    const token = await coordinator();
    const assign = (input: Record<string, unknown>) => partners.graphql<{ assignIntegrationManagement: Responsibility }>(ASSIGN, { input: { ...valid, ...input } }, token);
    const steps = [
      { mode: 'SELF', providerOrganizationId: id(AGS.ettenheim), validFrom: '2026-01-01' },
      { mode: 'INTERMUNICIPAL', providerOrganizationId: id(AGS.friesenheim), associationName: ' Südliche Ortenau (Demo) ', validFrom: '2026-04-01' },
      { mode: 'DELEGATED', providerOrganizationId: O.caritas.id, validFrom: '2026-07-01' },
      { mode: 'DISTRICT', providerOrganizationId: DISTRICT, validFrom: '2026-10-01' },
    ];
    for (const step of steps) {
      const result = await assign(step);
      expect(result.errors).toBeUndefined();
      expect(result.data!.assignIntegrationManagement).toMatchObject({ mode: step.mode, provider: { id: step.providerOrganizationId } });
    }
    const periods = await history(AGS.ettenheim);
    expect(periods.map((p) => [p.mode, p.validFrom, p.validUntil, p.associationName])).toEqual([
      ['DISTRICT', '2023-01-01', '2025-12-31', null],
      ['SELF', '2026-01-01', '2026-03-31', null],
      ['INTERMUNICIPAL', '2026-04-01', '2026-06-30', 'Südliche Ortenau (Demo)'],
      ['DELEGATED', '2026-07-01', '2026-09-30', null],
      ['DISTRICT', '2026-10-01', null, null],
    ]);
  });
});

describe('ending a period of responsibility', () => {
  let period: Responsibility;

  beforeAll(async () => {
    [period] = await history(AGS.durbach);
  });

  it('refuses a stale version with CONFLICT', async () => {
    const result = await partners.graphql(END, { input: { id: period.id, validUntil: '2030-12-31', expectedVersion: period.version + 1 } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: period.version + 1, actualVersion: period.version });
  });

  it('refuses a last day before the first', async () => {
    const result = await partners.graphql(END, { input: { id: period.id, validUntil: '2022-12-31', expectedVersion: period.version } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validUntil', rule: 'endAfterStart' });
  });

  it('sets the last day and bumps the version; nobody is responsible afterwards', async () => {
    const result = await partners.graphql<{ endIntegrationManagement: Responsibility }>(
      END,
      { input: { id: period.id, validUntil: '2030-12-31', expectedVersion: period.version } },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.endIntegrationManagement).toMatchObject({ id: period.id, validUntil: '2030-12-31', version: period.version + 1 });
    expect(await providerAt(AGS.durbach, '2030-12-31')).toMatchObject({ id: period.id });
    expect(await providerAt(AGS.durbach, '2031-01-01')).toBeNull();
  });

  it('refuses to extend a period into the next one (noOverlap)', async () => {
    const [first] = await history(AGS.appenweier);
    const result = await partners.graphql(END, { input: { id: first.id, validUntil: '2025-07-01', expectedVersion: first.version } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.validUntil', rule: 'noOverlap' });
  });

  it('reports an unknown period as NOT_FOUND', async () => {
    const result = await partners.graphql(END, { input: { id: '00000000-0000-4000-8000-000000000000', validUntil: '2030-12-31', expectedVersion: 1 } }, await coordinator());
    expect(codeOf(result.errors)).toBe('NOT_FOUND');
  });
});

describe('coordinator-only mutations', () => {
  const mutations: [string, string, Record<string, unknown>][] = [
    ['assignIntegrationManagement', ASSIGN, { municipalityId: id(AGS.kehl), providerOrganizationId: DISTRICT, mode: 'DISTRICT', validFrom: '2027-01-01' }],
    ['endIntegrationManagement', END, { id: '00000000-0000-4000-8000-000000000000', validUntil: '2027-01-01', expectedVersion: 1 }],
    ['recordStaffing', RECORD_STAFFING, { providerOrganizationId: DISTRICT, validFrom: '2027-01-01', fullTimeEquivalents: '30.00' }],
    [
      'recordFundingAllocation',
      RECORD_FUNDING,
      { municipalityId: id(AGS.kehl), program: 'Pakt für Integration', periodStart: '2027-01-01', periodEnd: '2027-12-31', amountEur: '1000.00' },
    ],
  ];
  const callers: [string, () => Promise<string | undefined>, string][] = [
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
    ['a caseworker', () => demoUserToken('ortenaukreis-caseworker'), 'FORBIDDEN'],
    ['a partner', () => demoUserToken('jobcenter-partner'), 'FORBIDDEN'],
    ['a lead', () => demoUserToken('ortenaukreis-lead'), 'FORBIDDEN'],
    ['an organisation administrator', () => roleToken(id(AGS.kehl), Role.OrgAdmin), 'FORBIDDEN'],
  ];
  it.each(mutations.flatMap(([name, document, input]) => callers.map(([who, token, code]) => [name, who, document, input, token, code] as const)))(
    '%s refuses %s',
    async (_name, _who, document, input, token, code) => {
      const counts = () =>
        partners.ownerQuery(`SELECT (SELECT count(*) FROM integration_management_responsibilities) AS r, (SELECT count(*) FROM staffing_positions) AS s,
          (SELECT count(*) FROM funding_allocations) AS f`);
      const before = await counts();
      const result = await partners.graphql(document, { input }, await token());
      expect(codeOf(result.errors)).toBe(code);
      expect(result.data).toBeNull();
      expect(await counts()).toEqual(before);
    },
  );
});

describe('staffing (internal)', () => {
  const STAFFING = `query($id: ID!) { organization(id: $id) { name staffing { fullTimeEquivalents provider { id } } } }`;

  it('shows a coordinator every provider’s staffing', async () => {
    const token = await coordinator();
    for (const [orgId, fte] of [[DISTRICT, '25.00'], [id(AGS.offenburg), '6.50'], [O.diakonie.id, '1.50']]) {
      const result = await partners.graphql<{ organization: { staffing: { fullTimeEquivalents: string; provider: { id: string } }[] } }>(STAFFING, { id: orgId }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.organization.staffing).toEqual([{ fullTimeEquivalents: fte, provider: { id: orgId } }]);
    }
  });

  it('shows a lead the own organisation’s staffing, not another’s', async () => {
    const token = await demoUserToken('ortenaukreis-lead');
    const own = await partners.graphql<{ organization: { staffing: unknown[] } }>(STAFFING, { id: DISTRICT }, token);
    expect(own.errors).toBeUndefined();
    expect(own.data!.organization.staffing).toHaveLength(1);
    const other = await partners.graphql<{ organization: { name: string; staffing: unknown } }>(STAFFING, { id: id(AGS.offenburg) }, token);
    expect(other.errors?.[0]).toMatchObject({ path: ['organization', 'staffing'], extensions: { code: 'FORBIDDEN' } });
    expect(other.data!.organization).toEqual({ name: 'Offenburg', staffing: null });
  });

  it.each([
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
    ['a caseworker', () => demoUserToken('ortenaukreis-caseworker'), 'FORBIDDEN'],
    ['a partner', () => demoUserToken('vhs-partner'), 'FORBIDDEN'],
  ])('gives %s an authorization error on the field while the rest of the query returns', async (_who, token, code) => {
    const result = await partners.graphql<{ organization: { name: string; staffing: unknown }; organizations: { totalCount: number } }>(
      `query($id: ID!) { organization(id: $id) { name staffing { fullTimeEquivalents } } organizations(first: 2) { totalCount } }`,
      { id: DISTRICT },
      await token(),
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['organization', 'staffing'], extensions: { code } });
    if (code === 'FORBIDDEN') expect(result.errors![0].message).toMatch(/Organization\.staffing is internal/);
    expect(result.data!.organization).toEqual({ name: 'Ortenaukreis', staffing: null });
    expect(result.data!.organizations.totalCount).toBeGreaterThan(51);
  });

  it('records a new figure exactly, ending the open-ended one the day before', async () => {
    const result = await partners.graphql<{ recordStaffing: { fullTimeEquivalents: string; version: number } }>(
      RECORD_STAFFING,
      { input: { providerOrganizationId: O.caritas.id, validFrom: '2026-01-01', fullTimeEquivalents: '2.5', note: 'Aufstockung' } },
      await coordinator(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordStaffing).toMatchObject({ fullTimeEquivalents: '2.50', validFrom: '2026-01-01', validUntil: null, note: 'Aufstockung', version: 1 });
    const rows = await partners.ownerQuery(
      `SELECT to_char(valid_from, 'YYYY-MM-DD') AS "from", to_char(valid_until, 'YYYY-MM-DD') AS "until", full_time_equivalents::text AS fte
         FROM staffing_positions WHERE provider_organization_id = $1 ORDER BY valid_from`,
      [O.caritas.id],
    );
    expect(rows).toEqual([
      { from: '2023-01-01', until: '2025-12-31', fte: '1.25' },
      { from: '2026-01-01', until: null, fte: '2.50' },
    ]);
  });

  it.each([
    ['more than two decimal places', { fullTimeEquivalents: '1.005' }, 'input.fullTimeEquivalents', 'maxDecimalPlaces'],
    ['a negative figure', { fullTimeEquivalents: '-1.00' }, 'input.fullTimeEquivalents', 'min'],
    ['more than the column holds', { fullTimeEquivalents: '100000.00' }, 'input.fullTimeEquivalents', 'max'],
    ['a provider that does not provide integration management', { providerOrganizationId: O.jobcenter.id }, 'input.providerOrganizationId', 'isProvider'],
    ['a last day before the first', { validUntil: '2019-12-31' }, 'input.validUntil', 'endAfterStart'],
    ['an overlap with a closed period', { validFrom: '2022-07-01', validUntil: '2023-06-30' }, 'input.validFrom', 'noOverlap'],
  ])('refuses %s', async (_name, change, field, rule) => {
    const input = { providerOrganizationId: DISTRICT, validFrom: '2020-01-01', fullTimeEquivalents: '3.00', ...change };
    const result = await partners.graphql(RECORD_STAFFING, { input }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
  });
});

describe('staffing overview of a district', () => {
  const OVERVIEW = `query($district: ID!, $at: LocalDate) { staffingOverview(districtId: $district, at: $at) {
    provider { id name } municipalities { ags } fullTimeEquivalents } }`;
  type Overview = { staffingOverview: { provider: { id: string; name: string }; municipalities: { ags: string }[]; fullTimeEquivalents: string | null }[] };

  it('lists every provider serving the district’s municipalities on the day, with its full-time equivalents', async () => {
    const result = await partners.graphql<Overview>(OVERVIEW, { district: DISTRICT, at: '2024-06-01' }, await coordinator());
    expect(result.errors).toBeUndefined();
    const entries = result.data!.staffingOverview;
    expect(entries.map((e) => [e.provider.name, e.municipalities.length, e.fullTimeEquivalents])).toEqual([
      ['Achern', 1, '2.00'],
      [O.caritas.name, 2, '1.25'],
      [O.diakonie.name, 2, '1.50'],
      ['Haslach im Kinzigtal', 3, '1.00'],
      ['Kehl', 1, '3.50'],
      ['Lahr/Schwarzwald', 1, '4.00'],
      ['Offenburg', 1, '6.50'],
      ['Ortenaukreis', 40, '25.00'],
    ]);
    expect(entries.find((e) => e.provider.id === O.diakonie.id)!.municipalities.map((m) => m.ags)).toEqual(['08317089', '08317110']);
  });

  it('answers for other days: nobody before the demo periods began', async () => {
    const result = await partners.graphql<Overview>(OVERVIEW, { district: DISTRICT, at: '2022-12-31' }, await coordinator());
    expect(result.data!.staffingOverview).toEqual([]);
  });

  it('is for coordinators only and needs a district', async () => {
    const lead = await partners.graphql(OVERVIEW, { district: DISTRICT }, await demoUserToken('ortenaukreis-lead'));
    expect(codeOf(lead.errors)).toBe('FORBIDDEN');
    const municipality = await partners.graphql(OVERVIEW, { district: id(AGS.kehl) }, await coordinator());
    expect(municipality.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'districtId', rule: 'isDistrict' });
  });
});

describe('funding (internal)', () => {
  const FUNDING = `query($ags: String) { municipality(ags: $ags) { name fundingAllocations { amountEur program periodStart periodEnd municipality { ags } recipient { id } } } }`;
  type Funding = { municipality: { name: string; fundingAllocations: { amountEur: string; recipient: { id: string } | null }[] | null } };

  it('shows a coordinator the allocations of any municipality', async () => {
    const result = await partners.graphql<Funding>(FUNDING, { ags: AGS.kehl }, await coordinator());
    expect(result.errors).toBeUndefined();
    expect(result.data!.municipality.fundingAllocations).toEqual([
      { amountEur: '96250.50', program: 'Pakt für Integration – Integrationsmanagement', periodStart: '2023-01-01', periodEnd: '2024-12-31', municipality: { ags: AGS.kehl }, recipient: { id: id(AGS.kehl) } },
    ]);
  });

  it('shows the municipality’s lead its allocations, and a recipient’s lead what it receives', async () => {
    const offenburgLead = await partners.graphql<Funding>(FUNDING, { ags: AGS.offenburg }, await roleToken(id(AGS.offenburg), Role.Lead));
    expect(offenburgLead.errors).toBeUndefined();
    expect(offenburgLead.data!.municipality.fundingAllocations!.map((a) => a.amountEur)).toEqual(['142500.00']);
    const districtLead = await partners.graphql<Funding>(FUNDING, { ags: AGS.appenweier }, await demoUserToken('ortenaukreis-lead'));
    expect(districtLead.errors).toBeUndefined();
    expect(districtLead.data!.municipality.fundingAllocations).toMatchObject([{ amountEur: '21300.00', recipient: { id: DISTRICT } }]);
  });

  it.each([
    ['a public caller', async () => undefined, 'UNAUTHENTICATED'],
    ['a caseworker of the municipality', () => demoUserToken('offenburg-caseworker'), 'FORBIDDEN'],
    ['the lead of another organisation', () => demoUserToken('ortenaukreis-lead'), 'FORBIDDEN'],
  ])('gives %s an authorization error on the field while the rest of the query returns', async (_who, token, code) => {
    const result = await partners.graphql<Funding>(FUNDING, { ags: AGS.offenburg }, await token());
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['municipality', 'fundingAllocations'], extensions: { code } });
    if (code === 'FORBIDDEN') expect(result.errors![0].message).toMatch(/Municipality\.fundingAllocations is internal/);
    expect(result.data!.municipality).toEqual({ name: 'Offenburg', fundingAllocations: null });
  });

  const input = { municipalityId: id(AGS.kehl), recipientOrganizationId: O.caritas.id, program: 'Pakt für Integration', periodStart: '2025-01-01', periodEnd: '2026-12-31' };

  it('round-trips exact amounts: "213349.00" stays "213349.00", "0.1" becomes "0.10"', async () => {
    for (const [amountEur, stored] of [['213349.00', '213349.00'], ['0.1', '0.10'], ['999999999999.99', '999999999999.99']]) {
      const result = await partners.graphql<{ recordFundingAllocation: { id: string; amountEur: string; recipient: { id: string } } }>(
        RECORD_FUNDING,
        { input: { ...input, amountEur } },
        await coordinator(),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.recordFundingAllocation).toMatchObject({ amountEur: stored, recipient: { id: O.caritas.id } });
      const [row] = await partners.ownerQuery(`SELECT amount_eur::text AS amount FROM funding_allocations WHERE id = $1`, [result.data!.recordFundingAllocation.id]);
      expect(row).toEqual({ amount: stored });
    }
  });

  it('normalises a JSON number that is an exact amount, and refuses one that carries float noise', async () => {
    const exact = await partners.graphql<{ recordFundingAllocation: { amountEur: string } }>(RECORD_FUNDING, { input: { ...input, amountEur: 70851.5 } }, await coordinator());
    expect(exact.errors).toBeUndefined();
    expect(exact.data!.recordFundingAllocation.amountEur).toBe('70851.50');
    const noisy = await partners.graphql(RECORD_FUNDING, { input: { ...input, amountEur: 0.1 + 0.2 } }, await coordinator());
    expect(codeOf(noisy.errors)).toBe('BAD_USER_INPUT');
    expect(noisy.errors?.[0].message).toMatch(/Decimal/);
  });

  it.each([
    ['more than two decimal places', { amountEur: '1.005' }, 'input.amountEur', 'maxDecimalPlaces'],
    ['a negative amount', { amountEur: '-0.01' }, 'input.amountEur', 'min'],
    ['an amount too large for the column', { amountEur: '1000000000000.00' }, 'input.amountEur', 'max'],
    ['a period that ends before it starts', { amountEur: '1.00', periodEnd: '2024-12-31' }, 'input.periodEnd', 'endAfterStart'],
    ['a district as municipality', { amountEur: '1.00', municipalityId: DISTRICT }, 'input.municipalityId', 'isMunicipality'],
    ['an unknown recipient', { amountEur: '1.00', recipientOrganizationId: '00000000-0000-4000-8000-000000000000' }, 'input.recipientOrganizationId', 'exists'],
  ])('refuses %s', async (_name, change, field, rule) => {
    const result = await partners.graphql(RECORD_FUNDING, { input: { ...input, ...change } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
  });

  it('refuses a blank program, naming the field', async () => {
    const result = await partners.graphql(RECORD_FUNDING, { input: { ...input, amountEur: '1.00', program: '   ' } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'program', rule: 'matches' }] });
  });
});

describe('follow-up accommodation sites', () => {
  const SITES = `query($ags: String) { municipality(ags: $ags) { name accommodationSites { id name capacity postalCode version municipality { ags } } } }`;
  type Sites = { municipality: { name: string; accommodationSites: { id: string; name: string; capacity: number; version: number }[] | null } };
  const siteInput = { municipalityId: id(AGS.offenburg), name: 'Anschlussunterbringung Test (Demo)', street: 'Teststraße 1', postalCode: '77652', capacity: 12, openedOn: '2024-01-01' };

  it('gives a public caller UNAUTHENTICATED on the field while the rest of the query returns', async () => {
    const result = await partners.graphql<Sites>(SITES, { ags: AGS.offenburg });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['municipality', 'accommodationSites'], extensions: { code: 'UNAUTHENTICATED' } });
    expect(result.data!.municipality).toEqual({ name: 'Offenburg', accommodationSites: null });
  });

  it('lists the sites by name for any authenticated caller', async () => {
    const result = await partners.graphql<Sites>(SITES, { ags: AGS.offenburg }, await demoUserToken('jobcenter-partner'));
    expect(result.errors).toBeUndefined();
    expect(result.data!.municipality.accommodationSites).toMatchObject([
      { name: 'Anschlussunterbringung Albersbösch (Demo)', capacity: 24, municipality: { ags: AGS.offenburg } },
      { name: 'Anschlussunterbringung Weststadt (Demo)', capacity: 48, municipality: { ags: AGS.offenburg } },
    ]);
  });

  it('lets the municipality’s administrators and coordinators record sites, nobody else', async () => {
    const offenburgAdmin = await partners.graphql<{ recordAccommodationSite: { capacity: number; version: number } }>(
      RECORD_SITE,
      { input: siteInput },
      await roleToken(id(AGS.offenburg), Role.OrgAdmin),
    );
    expect(offenburgAdmin.errors).toBeUndefined();
    const { municipalityId: _municipalityId, ...fields } = siteInput;
    expect(offenburgAdmin.data!.recordAccommodationSite).toMatchObject({ ...fields, version: 1, closedOn: null, municipality: { ags: AGS.offenburg } });
    const byCoordinator = await partners.graphql(RECORD_SITE, { input: { ...siteInput, municipalityId: id(AGS.kehl), postalCode: '77694' } }, await coordinator());
    expect(byCoordinator.errors).toBeUndefined();
    for (const [token, code] of [
      [await roleToken(id(AGS.offenburg), Role.OrgAdmin), 'FORBIDDEN'], // for Kehl
      [await demoUserToken('offenburg-caseworker'), 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const result = await partners.graphql(RECORD_SITE, { input: { ...siteInput, municipalityId: id(AGS.kehl) } }, token);
      expect(codeOf(result.errors)).toBe(code);
    }
    const caseworkerOwn = await partners.graphql(RECORD_SITE, { input: siteInput }, await demoUserToken('offenburg-caseworker'));
    expect(codeOf(caseworkerOwn.errors)).toBe('FORBIDDEN');
  });

  it.each([
    ['a negative capacity', { capacity: -1 }, [{ field: 'capacity', rule: 'min' }]],
    ['a postal code that is not 5 digits', { postalCode: '7765' }, [{ field: 'postalCode', rule: 'matches' }]],
    ['a blank name', { name: ' ' }, [{ field: 'name', rule: 'matches' }]],
  ])('refuses %s, naming field and rule', async (_name, change, violations) => {
    const result = await partners.graphql(RECORD_SITE, { input: { ...siteInput, ...change } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations });
  });

  it('refuses a closing day before the opening day', async () => {
    const result = await partners.graphql(RECORD_SITE, { input: { ...siteInput, closedOn: '2023-12-31' } }, await coordinator());
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.closedOn', rule: 'endAfterStart' });
  });

  describe('updating', () => {
    let site: { id: string; version: number };
    let admin: string;

    beforeAll(async () => {
      admin = await roleToken(id(AGS.kehl), Role.OrgAdmin);
      const result = await partners.graphql<{ recordAccommodationSite: { id: string; version: number } }>(
        RECORD_SITE,
        { input: { ...siteInput, municipalityId: id(AGS.kehl), postalCode: '77694', name: 'Anschlussunterbringung Update (Demo)' } },
        admin,
      );
      site = result.data!.recordAccommodationSite;
    });

    it('changes capacity and closing day and bumps the version', async () => {
      const result = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 1, capacity: 20, closedOn: '2025-12-31' } }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ updateAccommodationSite: { id: site.id, name: 'Anschlussunterbringung Update (Demo)', capacity: 20, closedOn: '2025-12-31', version: 2 } });
    });

    it('refuses a stale version with CONFLICT and keeps the newer change', async () => {
      const result = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 1, capacity: 99 } }, admin);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, actualVersion: 2 });
      expect(await partners.ownerQuery(`SELECT capacity, version FROM accommodation_sites WHERE id = $1`, [site.id])).toEqual([{ capacity: 20, version: 2 }]);
    });

    it('never lets capacity go negative', async () => {
      const result = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 2, capacity: -5 } }, admin);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'capacity', rule: 'min' }] });
    });

    it('refuses a closing day before the opening day, and reopens with closedOn null', async () => {
      const early = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 2, closedOn: '2020-01-01' } }, admin);
      expect(early.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.closedOn', rule: 'endAfterStart' });
      const reopened = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 2, closedOn: null } }, admin);
      expect(reopened.errors).toBeUndefined();
      expect(reopened.data).toMatchObject({ updateAccommodationSite: { closedOn: null, capacity: 20, version: 3 } });
    });

    it('refuses another municipality’s administrator (FORBIDDEN) and a public caller', async () => {
      const other = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 3, capacity: 1 } }, await roleToken(id(AGS.offenburg), Role.OrgAdmin));
      expect(codeOf(other.errors)).toBe('FORBIDDEN');
      const anonymous = await partners.graphql(UPDATE_SITE, { input: { id: site.id, expectedVersion: 3, capacity: 1 } });
      expect(codeOf(anonymous.errors)).toBe('UNAUTHENTICATED');
    });
  });
});

describe('row-level security in PostgreSQL', () => {
  const INTERNAL = ['staffing_positions', 'funding_allocations', 'accommodation_sites'];

  /** Runs SQL as the application role inside a transaction with the given context (none when orgId is null). */
  async function asApp<T>(orgId: string | null, roles: string, work: (query: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
    const client = await partners.appClient();
    try {
      await client.query('BEGIN');
      if (orgId !== null) await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true)`, [orgId, roles]);
      return await work(async (sql, params) => (await client.query(sql, params)).rows);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  }
  const count = (query: (sql: string) => Promise<Record<string, unknown>[]>, table: string) =>
    query(`SELECT count(*)::int AS n FROM ${table}`).then((rows) => rows[0].n as number);

  it('shows no staffing, funding or accommodation rows without a context, but the public responsibilities', async () => {
    await asApp(null, '', async (query) => {
      for (const table of INTERNAL) expect(await count(query, table)).toBe(0);
      expect(await count(query, 'integration_management_responsibilities')).toBeGreaterThanOrEqual(51);
    });
  });

  it('shows a caseworker no staffing or funding, but the accommodation sites', async () => {
    await asApp(DISTRICT, Role.Caseworker, async (query) => {
      expect(await count(query, 'staffing_positions')).toBe(0);
      expect(await count(query, 'funding_allocations')).toBe(0);
      expect(await count(query, 'accommodation_sites')).toBeGreaterThanOrEqual(3);
    });
  });

  it('shows a lead only the own organisation’s staffing and the funding it is concerned by', async () => {
    await asApp(DISTRICT, Role.Lead, async (query) => {
      expect(new Set((await query('SELECT provider_organization_id AS id FROM staffing_positions')).map((r) => r.id))).toEqual(new Set([DISTRICT]));
      const funding = await query('SELECT municipality_id, recipient_organization_id FROM funding_allocations');
      expect(funding.length).toBeGreaterThan(0);
      for (const row of funding) expect([row.municipality_id, row.recipient_organization_id]).toContain(DISTRICT);
    });
  });

  it.each([
    ['staffing_positions', `INSERT INTO staffing_positions (provider_organization_id, valid_from, full_time_equivalents) VALUES ($1, '2040-01-01', 1)`],
    ['funding_allocations', `INSERT INTO funding_allocations (municipality_id, program, period_start, period_end, amount_eur) VALUES ($1, 'x', '2040-01-01', '2040-12-31', 1)`],
    ['accommodation_sites', `INSERT INTO accommodation_sites (municipality_id, name, capacity) VALUES ($1, 'x', 1)`],
    ['integration_management_responsibilities', `INSERT INTO integration_management_responsibilities (municipality_id, provider_organization_id, mode, valid_from) VALUES ($1, $1, 'self', '2040-01-01')`],
  ])('does not let a caseworker insert into %s', async (_table, sql) => {
    await asApp(id(AGS.offenburg), Role.Caseworker, async (query) => {
      await expect(query(sql, [id(AGS.offenburg)])).rejects.toThrow(/row-level security/);
    });
  });

  it('refuses negative capacity and amounts in the database too', async () => {
    await expect(partners.ownerQuery(`UPDATE accommodation_sites SET capacity = -1 WHERE municipality_id = $1`, [id(AGS.kehl)])).rejects.toThrow(/check constraint/);
    await expect(partners.ownerQuery(`UPDATE funding_allocations SET amount_eur = -1 WHERE municipality_id = $1`, [id(AGS.kehl)])).rejects.toThrow(/check constraint/);
  });
});

describe('accommodation sites as a federated entity', () => {
  it('resolves references from the cases subgraph for authenticated callers only', async () => {
    const [site] = await partners.ownerQuery<{ id: string; name: string }>(`SELECT id, name FROM accommodation_sites ORDER BY name LIMIT 1`);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on AccommodationSite { id name capacity } } }`;
    const variables = { r: [{ __typename: 'AccommodationSite', id: site.id }] };
    expect((await partners.graphql(query, variables)).data).toEqual({ _entities: [null] });
    const authenticated = await partners.graphql<{ _entities: { name: string }[] }>(query, variables, await demoUserToken('ortenaukreis-caseworker'));
    expect(authenticated.data!._entities[0].name).toBe(site.name);
  });
});
