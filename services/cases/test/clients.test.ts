import { DEMO_ORGANIZATIONS, demoUserToken, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { seedCases } from '../src/seed/cases';
import { SEED_HOUSEHOLDS } from '../src/seed/households';
import { casesSubgraph } from '../src/subgraph';
import { todayInGermany } from '../src/validation';

let cases: TestSubgraph;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
});
afterAll(() => cases?.stop());

const O = DEMO_ORGANIZATIONS;
const SEEDED = seedCases();
type Page<T> = { totalCount: number; edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type Violation = { field: string; rule: string };

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await cases.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n);
const clientRow = async (id: string) => (await cases.ownerQuery(`SELECT * FROM clients WHERE id = $1`, [id]))[0] as Record<string, unknown>;
const clientVersion = async (id: string) => (await clientRow(id)).version as number;

/** An eligible new client for openCase; the test changes what it needs. */
const newClient = (overrides: Record<string, unknown> = {}) => ({
  givenName: 'Rania',
  familyName: 'Saleh',
  dateOfBirth: '1990-04-12',
  gender: 'FEMALE',
  nationalities: ['SY'],
  languages: ['ar', 'en'],
  arrivedOn: '2016-03-01',
  residenceStatus: 'RECOGNISED_REFUGEE',
  followUpAccommodation: 'CURRENT',
  ...overrides,
});

/** Opens a case with a new client of the caller's organisation; returns the client's id. */
async function createClient(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await cases.graphql<{ openCase: { client: { id: string } } }>(
    `mutation($input: OpenCaseInput!) { openCase(input: $input) { client { id } } }`,
    { input: { client: newClient(overrides) } },
    token,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.openCase.client.id;
}

/** Raw SQL as the application role, scoped to an organisation and roles like a request. */
async function asApp<R>(orgId: string, roles: string, sql: string): Promise<R[]> {
  const client = await cases.appClient();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', $2, true), set_config('app.user_id', 'someone', true)`, [orgId, roles]);
    const { rows } = await client.query(sql);
    await client.query('ROLLBACK');
    return rows as R[];
  } finally {
    await client.end();
  }
}

describe('reading clients', () => {
  it('shows one client of the caller’s organisation with age, cases, household and accommodation', async () => {
    const seed = SEEDED[0];
    const result = await cases.graphql<{ client: Record<string, unknown> & { dateOfBirth: string; age: number; cases: { id: string }[] } }>(
      `query($id: ID!) { client(id: $id) { id givenName familyName dateOfBirth age nationalities languages residenceStatus followUpAccommodation
          accommodationSite { id } privateFlatSince version cases { id status } household { name members { id } children { givenName careStatus age } } } }`,
      { id: seed.clientId },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(result.errors).toBeUndefined();
    const client = result.data!.client;
    expect(client).toMatchObject({ id: seed.clientId, nationalities: ['SY'], residenceStatus: 'RECOGNISED_REFUGEE', accommodationSite: null, version: 1 });
    expect(client.cases.map((c) => c.id)).toContain(seed.id);
    const [y, m, d] = todayInGermany().split('-').map(Number);
    const [by, bm, bd] = client.dateOfBirth.split('-').map(Number);
    expect(client.age).toBe(y - by - (m < bm || (m === bm && d < bd) ? 1 : 0));
    const household = SEED_HOUSEHOLDS[0];
    expect(client.household).toMatchObject({
      members: expect.arrayContaining(household.memberIndexes.map((i) => ({ id: SEEDED[i].clientId }))),
      children: [
        { givenName: 'Karim', careStatus: 'PRIMARY_SCHOOL', age: expect.any(Number) },
        { givenName: 'Lina', careStatus: 'DAYCARE', age: expect.any(Number) },
      ],
    });
    expect(client.household).toHaveProperty('name', expect.stringMatching(/^Familie /));
  });

  it('returns null for another organisation’s client and household, and refuses roles without case access', async () => {
    const foreign = SEEDED.find((c) => c.ownerOrganizationId === O.offenburg.id)!;
    const token = await demoUserToken('ortenaukreis-caseworker');
    const result = await cases.graphql(`query($id: ID!, $h: ID!) { client(id: $id) { id } household(id: $h) { id } }`, { id: foreign.clientId, h: SEED_HOUSEHOLDS[1].id }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ client: null, household: null });
    const bad = await cases.graphql(`{ client(id: "not-a-uuid") { id } }`, {}, token);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', rule: 'isUuid' });
    for (const handle of ['jobcenter-partner', 'ortenaukreis-coordinator', 'ortenaukreis-auditor']) {
      const refused = await cases.graphql(`{ clients { totalCount } }`, {}, await demoUserToken(handle));
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await cases.graphql(`query($id: ID!) { client(id: $id) { id } }`, { id: foreign.clientId });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lists the organisation’s clients by family name, given name and id, page by page, with a total count', async () => {
    const token = await demoUserToken('offenburg-caseworker');
    const expected = (
      await cases.ownerQuery<{ id: string }>(`SELECT id FROM clients WHERE owner_organization_id = $1 ORDER BY family_name || ' ' || given_name, id`, [O.offenburg.id])
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: { clients: Page<{ id: string }> } | null; errors?: unknown } = await cases.graphql<{ clients: Page<{ id: string }> }>(
        `query($after: String) { clients(first: 3, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        token,
      );
      expect(page.errors).toBeUndefined();
      expect(page.data!.clients.totalCount).toBe(expected.length);
      seen.push(...page.data!.clients.edges.map((e) => e.node.id));
      if (!page.data!.clients.pageInfo.hasNextPage) break;
      after = page.data!.clients.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('searches given and family names, every word, ignoring case', async () => {
    const token = await demoUserToken('ortenaukreis-lead');
    const [someone] = await cases.ownerQuery<{ given_name: string; family_name: string }>(`SELECT given_name, family_name FROM clients WHERE id = $1`, [SEEDED[1].clientId]);
    const search = async (text: string) =>
      (await cases.graphql<{ clients: Page<{ id: string; givenName: string; familyName: string }> }>(
        `query($s: String) { clients(search: $s, first: 100) { totalCount edges { node { id givenName familyName } } } }`,
        { s: text },
        token,
      )).data!.clients;
    const byFamily = await search(someone.family_name.toUpperCase());
    expect(byFamily.edges.map((e) => e.node.id)).toContain(SEEDED[1].clientId);
    for (const edge of byFamily.edges) expect(`${edge.node.givenName} ${edge.node.familyName}`.toLowerCase()).toContain(someone.family_name.toLowerCase());
    const both = await search(`${someone.given_name.toLowerCase()}  ${someone.family_name}`);
    expect(both.edges.length).toBeGreaterThan(0);
    expect(both.totalCount).toBeLessThanOrEqual(byFamily.totalCount);
    for (const edge of both.edges) {
      expect(edge.node.givenName + edge.node.familyName).toMatch(new RegExp(someone.given_name, 'i'));
    }
    expect((await search('%')).totalCount).toBe(0); // LIKE wildcards are taken literally
    // Other organisations' clients are never found.
    const [onlyOffenburg] = await cases.ownerQuery<{ family_name: string }>(
      `SELECT family_name FROM clients o WHERE owner_organization_id = $1
         AND NOT EXISTS (SELECT 1 FROM clients x WHERE x.family_name = o.family_name AND x.owner_organization_id = $2) LIMIT 1`,
      [O.offenburg.id, O.ortenaukreis.id],
    );
    expect(onlyOffenburg).toBeDefined();
    expect((await search(onlyOffenburg.family_name)).totalCount).toBe(0);
  });

  it('costs a constant number of SELECTs for a page of clients with their cases and households, whatever the page size', async () => {
    const token = await demoUserToken('ortenaukreis-lead');
    const statementsFor = async (first: number) => {
      cases.statements.reset();
      const result = await cases.graphql<{ clients: Page<{ cases: unknown[]; household: { members: unknown[] } | null }> }>(
        `query($first: Int!) { clients(first: $first) { edges { node { id age accommodationSite { id } cases { id status }
            household { id name members { id givenName } children { id age } } } } } }`,
        { first },
        token,
      );
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.clients.edges.map((e) => e.node);
      return {
        nodes: nodes.length,
        withHousehold: nodes.filter((n) => n.household).length,
        clients: cases.statements.selectsFrom('clients').length,
        cases: cases.statements.selectsFrom('cases').length,
        households: cases.statements.selectsFrom('households').length,
        children: cases.statements.selectsFrom('household_children').length,
        all: cases.statements.statements.length,
      };
    };
    const big = await statementsFor(100);
    expect(big.nodes).toBeGreaterThan(10);
    expect(big.withHousehold).toBeGreaterThanOrEqual(2);
    // clients: the count, the page and the households' members; everything else one batch each
    expect(big).toMatchObject({ clients: 3, cases: 1, households: 1, children: 1 });
    const small = await statementsFor(2);
    expect(small.clients).toBeLessThanOrEqual(big.clients);
    expect(small.all).toBeLessThanOrEqual(big.all);
  });
});

describe('collect once: finding an existing client before recording a new one', () => {
  const LIKE = `query($g: String!, $f: String!, $d: LocalDate) { possibleDuplicates(givenName: $g, familyName: $f, dateOfBirth: $d) { id givenName familyName dateOfBirth } }`;
  let clientId: string;
  let token: string;

  beforeAll(async () => {
    token = await demoUserToken('diakonie-caseworker');
    clientId = await createClient(token, { givenName: 'Abdul-Karim', familyName: 'Al Masri', dateOfBirth: '1984-07-09' });
  });

  it.each([
    ['the same names and date of birth', 'Abdul-Karim', 'Al Masri', '1984-07-09'],
    ['names written differently (case, hyphens, spaces)', 'abdul karim', 'AL-MASRI', null],
    ['swapped names', 'Al-Masri', 'Abdulkarim', null],
    ['the same date of birth and one matching name', 'Karim', 'Almasri', '1984-07-09'],
  ])('finds the client with %s', async (_how, g, f, d) => {
    const result = await cases.graphql<{ possibleDuplicates: { id: string }[] }>(LIKE, { g, f, d }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.possibleDuplicates.map((c) => c.id)).toContain(clientId);
  });

  it('does not find a different person, nor another organisation’s client', async () => {
    const other = await cases.graphql<{ possibleDuplicates: { id: string }[] }>(LIKE, { g: 'Karim', f: 'Almasri', d: '1985-07-09' }, token);
    expect(other.data!.possibleDuplicates.map((c) => c.id)).not.toContain(clientId);
    const foreign = await cases.graphql<{ possibleDuplicates: { id: string }[] }>(LIKE, { g: 'Abdul-Karim', f: 'Al Masri', d: '1984-07-09' }, await demoUserToken('offenburg-caseworker'));
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data!.possibleDuplicates).toEqual([]);
    const blank = await cases.graphql(LIKE, { g: ' ', f: 'Al Masri' }, token);
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'givenName', rule: 'notBlank' });
  });

  it('opens a second case for the existing client instead of recording the person again', async () => {
    const before = await count('clients');
    const opened = await cases.graphql<{ openCase: { client: { id: string; cases: { id: string }[] } } }>(
      `mutation($input: OpenCaseInput!) { openCase(input: $input) { client { id cases { id } } } }`,
      { input: { clientId } },
      token,
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data!.openCase.client.id).toBe(clientId);
    expect(await count('clients')).toBe(before);
    const client = await cases.graphql<{ client: { cases: { id: string }[] } }>(`query($id: ID!) { client(id: $id) { cases { id } } }`, { id: clientId }, token);
    expect(client.data!.client.cases).toHaveLength(2);
  });
});

describe('updating a client', () => {
  const UPDATE = `mutation($input: UpdateClientInput!) { updateClient(input: $input) { id givenName familyName phone email nationalities languages
      residenceStatus arrivedOn accommodationSite { id } privateFlatSince version } }`;
  let clientId: string;
  let token: string;

  beforeAll(async () => {
    token = await demoUserToken('offenburg-caseworker');
    clientId = await createClient(token, { familyName: 'Update', phone: '+49 781 123456', email: 'rania@example.org', privateFlatSince: '2024-06-01' });
  });

  it('changes the given fields, keeps the omitted ones, clears optional ones given as null, and bumps the version', async () => {
    const version = await clientVersion(clientId);
    const result = await cases.graphql<{ updateClient: Record<string, unknown> }>(
      UPDATE,
      { input: { id: clientId, expectedVersion: version, familyName: '  Saleh-Update ', languages: ['ar', 'de', 'ar'], residenceStatus: 'SETTLEMENT_PERMIT', email: null } },
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateClient).toMatchObject({
      givenName: 'Rania',
      familyName: 'Saleh-Update',
      phone: '+49 781 123456',
      email: null,
      languages: ['ar', 'de'],
      nationalities: ['SY'],
      residenceStatus: 'SETTLEMENT_PERMIT',
      arrivedOn: '2016-03-01',
      privateFlatSince: '2024-06-01',
      version: version + 1,
    });
    expect(await clientRow(clientId)).toMatchObject({ family_name: 'Saleh-Update', email: null, residence_status: 'settlement_permit', version: version + 1 });
  });

  it('moves the client from a private flat to an accommodation site only when the flat is cleared in the same change', async () => {
    const siteId = '2b0c7f8e-4a51-4c1e-9d3a-6a1f0e2b9c44';
    const version = await clientVersion(clientId);
    const both = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: version, accommodationSiteId: siteId } }, token);
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.privateFlatSince', rule: 'oneAccommodation' });
    const moved = await cases.graphql<{ updateClient: { accommodationSite: { id: string }; privateFlatSince: string | null } }>(
      UPDATE,
      { input: { id: clientId, expectedVersion: version, accommodationSiteId: siteId, privateFlatSince: null } },
      token,
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateClient).toMatchObject({ accommodationSite: { id: siteId }, privateFlatSince: null });
  });

  it.each([
    ['nationalities', { nationalities: ['SY', 'Syria'] }, 'input.nationalities', 'isIso3166Alpha2'],
    ['lower-case country codes', { nationalities: ['sy'] }, 'input.nationalities', 'isIso3166Alpha2'],
    ['languages', { languages: ['Arabic'] }, 'input.languages', 'isIso639'],
    ['a date of birth in the future', { dateOfBirth: '2999-01-01' }, 'input.dateOfBirth', 'notInFuture'],
    ['an arrival in the future', { arrivedOn: '2999-01-01' }, 'input.arrivedOn', 'notInFuture'],
    ['an arrival before birth', { dateOfBirth: '2017-01-01' }, 'input.arrivedOn', 'afterBirth'],
    ['a required field cleared', { givenName: null }, 'input.givenName', 'notNull'],
    ['an enum cleared', { residenceStatus: null }, 'input.residenceStatus', 'notNull'],
    ['a blank name', { familyName: '   ' }, 'input.familyName', 'notBlank'],
    ['an accommodation site that is not a UUID', { accommodationSiteId: 'site-1', privateFlatSince: null }, 'input.accommodationSiteId', 'isUuid'],
  ])('refuses %s, naming the field and rule, and changes nothing', async (_what, change, field, rule) => {
    const before = await clientRow(clientId);
    const result = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: before.version, ...change } }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await clientRow(clientId)).toEqual(before);
  });

  it.each([
    ['phone', { phone: 'call me' }, 'matches'],
    ['email', { email: 'rania-at-example' }, 'isEmail'],
    ['givenName', { givenName: '' }, 'isLength'],
  ])('refuses a bad %s (class-validator) and changes nothing', async (field, change, rule) => {
    const before = await clientRow(clientId);
    const result = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: before.version, ...change } }, token);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.violations as Violation[]).toEqual([expect.objectContaining({ field, rule })]);
    expect(await clientRow(clientId)).toEqual(before);
  });

  it('refuses a stale version with CONFLICT and writes nothing', async () => {
    const before = await clientRow(clientId);
    const version = before.version as number;
    const stale = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: version - 1, phone: '+49 781 999999' } }, token);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: version - 1, actualVersion: version });
    expect(await clientRow(clientId)).toEqual(before);
    const nothing = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: version - 1 } }, token);
    expect(nothing.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const version = await clientVersion(clientId);
    const results = await Promise.all(
      ['+49 781 111111', '+49 781 222222'].map((phone) => cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: version, phone } }, token)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(1);
    expect(await clientVersion(clientId)).toBe(version + 1);
  });

  it('does not reveal or change another organisation’s client', async () => {
    const before = await clientRow(clientId);
    for (const token of [await demoUserToken('ortenaukreis-caseworker'), await roleToken(O.ortenaukreis.id, Role.Lead)]) {
      const result = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: before.version, phone: '+49 781 000000' } }, token);
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    expect(await clientRow(clientId)).toEqual(before);
    const partner = await cases.graphql(UPDATE, { input: { id: clientId, expectedVersion: before.version } }, await demoUserToken('jobcenter-partner'));
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('households', () => {
  const CREATE = `mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) { id name version members { id } children { id } } }`;
  const ADD_CHILD = `mutation($input: AddHouseholdChildInput!) { addHouseholdChild(input: $input) { id givenName dateOfBirth careStatus age version } }`;
  const UPDATE_CHILD = `mutation($input: UpdateHouseholdChildInput!) { updateHouseholdChild(input: $input) { id givenName careStatus version } }`;
  let token: string;
  let parents: string[];
  let householdId: string;

  beforeAll(async () => {
    token = await demoUserToken('diakonie-caseworker');
    parents = [await createClient(token, { givenName: 'Yara', familyName: 'Nasser' }), await createClient(token, { givenName: 'Omar', familyName: 'Nasser', gender: 'MALE' })];
  });

  it('creates a household of clients', async () => {
    const result = await cases.graphql<{ createHousehold: { id: string; name: string; members: { id: string }[] } }>(
      CREATE,
      { input: { name: 'Familie Nasser', memberClientIds: parents } },
      token,
    );
    expect(result.errors).toBeUndefined();
    householdId = result.data!.createHousehold.id;
    expect(result.data!.createHousehold).toMatchObject({ name: 'Familie Nasser', version: 1, children: [] });
    expect(result.data!.createHousehold.members.map((m) => m.id).sort()).toEqual([...parents].sort());
    const members = await cases.ownerQuery(`SELECT household_id FROM clients WHERE id = ANY($1)`, [parents]);
    expect(members).toEqual([{ household_id: householdId }, { household_id: householdId }]);
  });

  it('refuses members of another household, other organisations’ clients and bad input, and stores nothing', async () => {
    const before = await count('households');
    const taken = await cases.graphql(CREATE, { input: { name: 'Familie Zwei', memberClientIds: [parents[0]] } }, token);
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.memberClientIds', rule: 'notInOtherHousehold' });
    const foreign = await cases.graphql(CREATE, { input: { name: 'Familie Fremd', memberClientIds: [SEEDED[1].clientId] } }, token);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const empty = await cases.graphql(CREATE, { input: { name: 'Familie Leer', memberClientIds: [] } }, token);
    expect(empty.errors?.[0].extensions?.violations).toEqual([expect.objectContaining({ field: 'memberClientIds', rule: 'arrayNotEmpty' })]);
    const blank = await cases.graphql(CREATE, { input: { name: '  ', memberClientIds: [parents[0]] } }, token);
    expect(blank.errors?.[0].extensions).toMatchObject({ field: 'input.name', rule: 'notBlank' });
    const notUuid = await cases.graphql(CREATE, { input: { name: 'X', memberClientIds: ['x'] } }, token);
    expect(notUuid.errors?.[0].extensions).toMatchObject({ field: 'input.memberClientIds', rule: 'isUuid' });
    expect(await count('households')).toBe(before);
  });

  it('adds children under 18 with their childcare or school status', async () => {
    const result = await cases.graphql<{ addHouseholdChild: { id: string; age: number } }>(
      ADD_CHILD,
      { input: { householdId, givenName: 'Lea', dateOfBirth: '2020-02-29', careStatus: 'DAYCARE' } },
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.addHouseholdChild).toMatchObject({ givenName: 'Lea', dateOfBirth: '2020-02-29', careStatus: 'DAYCARE', version: 1 });
    expect(result.data!.addHouseholdChild.age).toBeGreaterThanOrEqual(6);
  });

  it.each([
    ['an adult', { dateOfBirth: '2000-01-01' }, 'input.dateOfBirth', 'isChild'],
    ['someone who turns 18 today', { dateOfBirth: `${Number(todayInGermany().slice(0, 4)) - 18}${todayInGermany().slice(4)}` }, 'input.dateOfBirth', 'isChild'],
    ['a birth in the future', { dateOfBirth: '2999-05-01' }, 'input.dateOfBirth', 'notInFuture'],
    ['a blank name', { givenName: ' ' }, 'input.givenName', 'notBlank'],
  ])('refuses %s as a child and stores nothing', async (_who, change, field, rule) => {
    const before = await count('household_children');
    const result = await cases.graphql(ADD_CHILD, { input: { householdId, givenName: 'Kind', dateOfBirth: '2019-01-01', careStatus: 'AT_HOME', ...change } }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await count('household_children')).toBe(before);
  });

  it('accepts a child who turns 18 tomorrow', async () => {
    const today = todayInGermany();
    const tomorrowEighteenYearsAgo = new Date(Date.UTC(Number(today.slice(0, 4)) - 18, Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10)) + 1)).toISOString().slice(0, 10);
    const result = await cases.graphql<{ addHouseholdChild: { id: string; age: number } }>(
      ADD_CHILD,
      { input: { householdId, givenName: 'Fast Erwachsen', dateOfBirth: tomorrowEighteenYearsAgo, careStatus: 'VOCATIONAL_SCHOOL' } },
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.addHouseholdChild.age).toBe(17);
  });

  it('updates a child with expectedVersion: CONFLICT when stale, nothing written', async () => {
    const [child] = await cases.ownerQuery<{ id: string; version: number }>(`SELECT id, version FROM household_children WHERE household_id = $1 AND given_name = 'Lea'`, [householdId]);
    const ok = await cases.graphql(UPDATE_CHILD, { input: { id: child.id, expectedVersion: child.version, careStatus: 'PRIMARY_SCHOOL' } }, token);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ updateHouseholdChild: { id: child.id, givenName: 'Lea', careStatus: 'PRIMARY_SCHOOL', version: child.version + 1 } });
    const stale = await cases.graphql(UPDATE_CHILD, { input: { id: child.id, expectedVersion: child.version, careStatus: 'OTHER' } }, token);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: child.version, actualVersion: child.version + 1 });
    const cleared = await cases.graphql(UPDATE_CHILD, { input: { id: child.id, expectedVersion: child.version + 1, careStatus: null } }, token);
    expect(cleared.errors?.[0].extensions).toMatchObject({ field: 'input.careStatus', rule: 'notNull' });
    const adult = await cases.graphql(UPDATE_CHILD, { input: { id: child.id, expectedVersion: child.version + 1, dateOfBirth: '1999-01-01' } }, token);
    expect(adult.errors?.[0].extensions).toMatchObject({ field: 'input.dateOfBirth', rule: 'isChild' });
    expect(await cases.ownerQuery(`SELECT care_status, version FROM household_children WHERE id = $1`, [child.id])).toEqual([{ care_status: 'primary_school', version: child.version + 1 }]);
  });

  it('removes a child with expectedVersion', async () => {
    const REMOVE = `mutation($input: RemoveHouseholdChildInput!) { removeHouseholdChild(input: $input) }`;
    const [child] = await cases.ownerQuery<{ id: string; version: number }>(`SELECT id, version FROM household_children WHERE household_id = $1 AND given_name = 'Fast Erwachsen'`, [householdId]);
    const stale = await cases.graphql(REMOVE, { input: { id: child.id, expectedVersion: child.version + 1 } }, token);
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const foreign = await cases.graphql(REMOVE, { input: { id: child.id, expectedVersion: child.version } }, await demoUserToken('ortenaukreis-caseworker'));
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await count('household_children', 'id = $1', [child.id])).toBe(1);
    const ok = await cases.graphql(REMOVE, { input: { id: child.id, expectedVersion: child.version } }, token);
    expect(ok.data).toEqual({ removeHouseholdChild: child.id });
    expect(await count('household_children', 'id = $1', [child.id])).toBe(0);
  });

  it('moves clients into and out of households with the client’s expectedVersion', async () => {
    const JOIN = `mutation($input: JoinHouseholdInput!) { joinHousehold(input: $input) { id version household { id } } }`;
    const LEAVE = `mutation($input: LeaveHouseholdInput!) { leaveHousehold(input: $input) { id version household { id } } }`;
    const grandma = await createClient(token, { givenName: 'Samira', familyName: 'Nasser', dateOfBirth: '1958-02-02' });
    const v = await clientVersion(grandma);
    const stale = await cases.graphql(JOIN, { input: { clientId: grandma, householdId, expectedVersion: v + 1 } }, token);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', actualVersion: v });
    expect((await clientRow(grandma)).household_id).toBeNull();
    const joined = await cases.graphql(JOIN, { input: { clientId: grandma, householdId, expectedVersion: v } }, token);
    expect(joined.data).toEqual({ joinHousehold: { id: grandma, version: v + 1, household: { id: householdId } } });
    const notIn = await cases.graphql(LEAVE, { input: { clientId: parents[0], expectedVersion: 99 } }, await demoUserToken('ortenaukreis-caseworker'));
    expect(notIn.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const foreignHousehold = await cases.graphql(JOIN, { input: { clientId: grandma, householdId: SEED_HOUSEHOLDS[0].id, expectedVersion: v + 1 } }, token);
    expect(foreignHousehold.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const left = await cases.graphql(LEAVE, { input: { clientId: grandma, expectedVersion: v + 1 } }, token);
    expect(left.data).toEqual({ leaveHousehold: { id: grandma, version: v + 2, household: null } });
    const again = await cases.graphql(LEAVE, { input: { clientId: grandma, expectedVersion: v + 2 } }, token);
    expect(again.errors?.[0].extensions).toMatchObject({ field: 'input.clientId', rule: 'inHousehold' });
  });

  it('does not let another organisation add children to a household', async () => {
    const before = await count('household_children');
    const result = await cases.graphql(ADD_CHILD, { input: { householdId, givenName: 'X', dateOfBirth: '2019-01-01', careStatus: 'AT_HOME' } }, await demoUserToken('offenburg-caseworker'));
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await count('household_children')).toBe(before);
  });
});

describe('row-level security of clients and households in PostgreSQL', () => {
  it.each(['clients', 'households', 'household_children'])('shows the application role only the own organisation’s %s', async (table) => {
    for (const org of [O.ortenaukreis, O.offenburg, O.diakonie]) {
      const rows = await asApp<{ owner_organization_id: string }>(org.id, Role.Caseworker, `SELECT owner_organization_id FROM ${table}`);
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.owner_organization_id))).toEqual(new Set([org.id]));
    }
    expect(await asApp(O.ortenaukreis.id, Role.Coordinator, `SELECT 1 FROM ${table}`)).toEqual([]);
    expect(await asApp(O.jobcenter.id, Role.Partner, `SELECT 1 FROM ${table}`)).toEqual([]);
  });

  it('refuses to write a client into another organisation', async () => {
    await expect(
      asApp(
        O.ortenaukreis.id,
        Role.Caseworker,
        `INSERT INTO clients (owner_organization_id, given_name, family_name, date_of_birth, gender, residence_status, follow_up_accommodation)
         VALUES ('${O.offenburg.id}', 'A', 'B', '1990-01-01', 'female', 'other', 'current')`,
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await asApp(O.ortenaukreis.id, Role.Caseworker, `UPDATE clients SET phone = '0' WHERE owner_organization_id = '${O.offenburg.id}' RETURNING id`);
    expect(updated).toEqual([]);
  });
});
