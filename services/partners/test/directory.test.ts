import { DEMO_ORGANIZATIONS, demoId, demoUserToken, OFFENBURG_AGS, organizationIdForAgs, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

let partners: TestSubgraph;
const offeringId = (key: string) => demoId('offering', key);

beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

type Page<T> = { totalCount: number; edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type Text = { text: string; language: string; isFallback: boolean; state: string };

const LANGUAGE_COURSES = `
  query($after: String, $lang: Language!) {
    offerings(filter: { lifeAreas: ["language"], hasFreeSeats: true, reachableFromAgs: "${OFFENBURG_AGS}" }, first: 2, after: $after) {
      totalCount
      edges { cursor node { id seatsFree startsOn title(lang: $lang) { text language isFallback state } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('public directory: language courses with free seats near a municipality', () => {
  it('lists them for a municipal app without a token, in Ukrainian with German fallback, page by page', async () => {
    const first = await partners.graphql<{ offerings: Page<{ id: string; seatsFree: number; startsOn: string; title: Text }> }>(LANGUAGE_COURSES, { lang: 'UK' });
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.offerings;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e) => e.node.id)).toEqual([offeringId('vhs-ik-allgemein-2027-01'), offeringId('vhs-ik-abend-2027-02')]);
    expect(page1.edges[0].node.title).toEqual({ text: 'Інтеграційний курс B1, зранку', language: 'UK', isFallback: false, state: 'MACHINE_TRANSLATED' });
    expect(page1.edges[1].node.title).toEqual({ text: 'Integrationskurs B1, abends', language: 'DE', isFallback: true, state: 'ORIGINAL' });
    expect(page1.pageInfo.hasNextPage).toBe(true);

    const second = await partners.graphql<{ offerings: Page<{ id: string; seatsFree: number; title: Text }> }>(LANGUAGE_COURSES, { lang: 'UK', after: page1.pageInfo.endCursor });
    const page2 = second.data!.offerings;
    expect(page2.edges.map((e) => e.node.id)).toEqual([offeringId('vhs-berufssprache-b2-2027-03')]);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0].cursor });
    expect(page2.totalCount).toBe(3);
    for (const edge of [...page1.edges, ...page2.edges]) expect(edge.node.seatsFree).toBeGreaterThan(0);
  });

  it('costs one SELECT of texts, terms and organisations for the whole page (DataLoader)', async () => {
    partners.statements.reset();
    const result = await partners.graphql(
      `{ offerings(first: 20) { edges { node { title(lang: UK) { text } description { text } type { id label(lang: UK) { text } } lifeAreas { id } organization { name } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(partners.statements.selectsFrom('translations')).toHaveLength(2); // offerings' texts, then the terms' labels
    expect(partners.statements.selectsFrom('organizations')).toHaveLength(1);
    expect(partners.statements.selectsFrom('offering_life_areas')).toHaveLength(1);
  });

  it('falls back from simple German to German, skips outdated translations and says what it returned', async () => {
    const result = await partners.graphql<{ a: { title: Text }; b: { title: Text }; c: { title: Text } }>(
      `query($a: ID!, $b: ID!) {
        a: offering(id: $a) { title(lang: DE_SIMPLE) { text language isFallback state } }
        b: offering(id: $b) { title(lang: TR) { text language isFallback state } }
        c: offering(id: $a) { title(lang: FA) { text language isFallback state } }
      }`,
      { a: offeringId('vhs-ik-allgemein-2027-01'), b: offeringId('vhs-berufssprache-b2-2027-03') },
    );
    expect(result.data!.a.title).toEqual({ text: 'Integrationskurs B1, vormittags', language: 'DE', isFallback: true, state: 'ORIGINAL' });
    expect(result.data!.b.title).toMatchObject({ text: 'Berufssprachkurs B1 → B2', language: 'DE', isFallback: true });
    expect(result.data!.c.title.language).toBe('DE');
    const byDefault = await partners.graphql<{ offering: { title: Text & { requestedLanguage: string } } }>(
      `query($a: ID!) { offering(id: $a) { title { text language requestedLanguage isFallback } } }`,
      { a: offeringId('vhs-ik-allgemein-2027-01') },
    );
    expect(byDefault.data!.offering.title).toEqual({ text: 'Integrationskurs B1, vormittags', language: 'DE', requestedLanguage: 'DE', isFallback: false });
  });

  it('filters by type (with sub-types), language, level, start date and status, and leaves ended offerings out by default', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      ((await partners.graphql<{ offerings: Page<{ id: string }> }>(`query($f: OfferingFilter) { offerings(filter: $f, first: 100) { edges { node { id } } } }`, { f: filter })).data!
        .offerings.edges.map((e) => e.node.id)
        .sort());
    const integration = await ids({ types: ['integration-course'] });
    expect(integration).toEqual(
      ['vhs-ik-allgemein-2027-01', 'vhs-ik-abend-2027-02', 'vhs-alpha-2026-09', 'vhs-kehl-intensiv-2027-01'].map(offeringId).sort(),
    );
    expect(await ids({ types: ['integration-course'], statuses: ['ENDED'] })).toEqual([offeringId('vhs-ik-2026-ended')]);
    expect(await ids({ types: ['integration-course'], language: 'ru' })).toEqual([offeringId('vhs-kehl-intensiv-2027-01')]);
    expect(await ids({ targetLevels: ['B2'] })).toEqual([offeringId('vhs-berufssprache-b2-2027-03')]);
    expect(await ids({ types: ['integration-course'], startsAfter: '2027-01-15' })).toEqual(
      ['vhs-ik-abend-2027-02', 'vhs-kehl-intensiv-2027-01'].map(offeringId).sort(),
    );
    expect(await ids({ types: ['integration-course'], hasFreeSeats: false })).toEqual([offeringId('vhs-alpha-2026-09')]);
  });

  it('orders by free seats on request, with a stable order across pages', async () => {
    const result = await partners.graphql<{ offerings: Page<{ seatsFree: number | null }> }>(`{ offerings(orderBy: FREE_SEATS, first: 100) { edges { node { seatsFree } } } }`);
    const seats = result.data!.offerings.edges.map((e) => e.node.seatsFree ?? -1);
    expect(seats).toEqual([...seats].sort((a, b) => b - a));
  });

  it('names the field and the rule of bad paging and filter input', async () => {
    const cursor = await partners.graphql(`{ offerings(after: "garbage") { totalCount } }`);
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', rule: 'validCursor' });
    const size = await partners.graphql(`{ offerings(first: 1000) { totalCount } }`);
    expect(size.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'first', rule: 'max' }] });
    const ags = await partners.graphql(`{ offerings(filter: { reachableFromAgs: "8317096" }) { totalCount } }`);
    expect(ags.errors?.[0].extensions).toMatchObject({ field: 'filter.reachableFromAgs', rule: 'isAgs' });
    const unknown = await partners.graphql(`{ offerings(filter: { reachableFromAgs: "08999999" }) { totalCount } }`);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const language = await partners.graphql(`{ offerings(filter: { language: "Ukrainian" }) { totalCount } }`);
    expect(language.errors?.[0].extensions).toMatchObject({ field: 'filter.language', rule: 'isIso639' });
  });
});

describe('municipalities and organisations', () => {
  it('finds a municipality by AGS or id, with its district, also as a federated entity', async () => {
    const result = await partners.graphql<{ municipality: { id: string; name: string; district: { name: string } } }>(
      `{ municipality(ags: "${OFFENBURG_AGS}") { id name ags district { name } } }`,
    );
    expect(result.data!.municipality).toEqual({ id: organizationIdForAgs(OFFENBURG_AGS), name: 'Offenburg', ags: OFFENBURG_AGS, district: { name: 'Ortenaukreis' } });
    const entities = await partners.graphql<{ _entities: { name: string }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality { name } } }`,
      { r: [{ __typename: 'Municipality', ags: '08116033' }, { __typename: 'Municipality', id: organizationIdForAgs('08317065') }] },
    );
    expect(entities.data!._entities).toEqual([{ name: 'Kirchheim unter Teck' }, { name: 'Lahr/Schwarzwald' }]);
    const both = await partners.graphql(`{ municipality(ags: "${OFFENBURG_AGS}", id: "${organizationIdForAgs(OFFENBURG_AGS)}") { name } }`);
    expect(both.errors?.[0].extensions).toMatchObject({ rule: 'exactlyOne' });
  });

  it('lists the 51 municipalities of the Ortenaukreis and the other districts of the public reports', async () => {
    const ortenau = await partners.graphql<{ municipalities: Page<{ name: string }> }>(
      `query($d: ID!) { municipalities(districtId: $d, first: 100) { totalCount edges { node { name } } } }`,
      { d: DEMO_ORGANIZATIONS.ortenaukreis.id },
    );
    expect(ortenau.data!.municipalities.totalCount).toBe(51);
    const districts = await partners.graphql<{ organizations: Page<{ name: string; officialMunicipalityKey: string }> }>(
      `{ organizations(filter: { kinds: [DISTRICT] }) { edges { node { name officialMunicipalityKey } } } }`,
    );
    expect(districts.data!.organizations.edges.map((e) => e.node)).toEqual([
      { name: 'Landkreis Esslingen', officialMunicipalityKey: '08116' },
      { name: 'Landkreis Göppingen', officialMunicipalityKey: '08117' },
      { name: 'Ortenaukreis', officialMunicipalityKey: '08317' },
      { name: 'Stadtkreis Pforzheim', officialMunicipalityKey: '08231' },
    ]);
  });

  it('filters organisations by life area of their offerings, by text and pages them by name', async () => {
    const housing = await partners.graphql<{ organizations: Page<{ name: string }> }>(`{ organizations(filter: { lifeArea: "housing" }) { edges { node { name } } } }`);
    expect(housing.data!.organizations.edges.map((e) => e.node.name)).toEqual([DEMO_ORGANIZATIONS.diakonie.name]);
    const text = await partners.graphql<{ organizations: Page<{ name: string }> }>(`{ organizations(filter: { text: "volkshoch" }) { edges { node { name } } } }`);
    expect(text.data!.organizations.edges.map((e) => e.node.name)).toEqual([DEMO_ORGANIZATIONS.vhs.name]);
    const all: string[] = [];
    let after: string | null = null;
    do {
      const page: { data?: { organizations: Page<{ name: string }> } | null } = await partners.graphql(
        `query($after: String) { organizations(filter: { kinds: [MUNICIPALITY] }, first: 25, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      all.push(...page.data!.organizations.edges.map((e) => e.node.name));
      after = page.data!.organizations.pageInfo.hasNextPage ? page.data!.organizations.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(51 + 8);
  });
});

describe('taxonomies', () => {
  it('serves offering types and life areas with labels in several languages', async () => {
    const result = await partners.graphql<{ taxonomy: { id: string; label: Text; parent: { id: string } | null }[] }>(
      `{ taxonomy(scheme: LIFE_AREA) { id label(lang: AR) { text language isFallback } parent { id } } }`,
    );
    expect(result.data!.taxonomy.map((t) => t.id)).toEqual(['language', 'work-training-study', 'childcare-school', 'housing', 'residence', 'health', 'leisure-clubs']);
    expect(result.data!.taxonomy[0].label).toEqual({ text: 'اللغة', language: 'AR', isFallback: false });
  });

  it('lets a district coordinator add a local category, and nobody else', async () => {
    const add = `mutation($input: AddTaxonomyTermInput!) { addTaxonomyTerm(input: $input) { id scheme parent { id } label { text } addedBy { name } } }`;
    const input = { id: 'workshop-bicycle-repair', scheme: 'OFFERING_TYPE', parentId: 'workshop', labels: [{ lang: 'DE', text: 'Fahrrad-Reparaturkurs' }] };
    expect((await partners.graphql(add, { input }, await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.OrgAdmin))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await partners.graphql(add, { input })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const result = await partners.graphql(add, { input }, await demoUserToken('ortenaukreis-coordinator'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      addTaxonomyTerm: { id: 'workshop-bicycle-repair', scheme: 'OFFERING_TYPE', parent: { id: 'workshop' }, label: { text: 'Fahrrad-Reparaturkurs' }, addedBy: { name: 'Ortenaukreis' } },
    });
    const again = await partners.graphql(add, { input }, await demoUserToken('ortenaukreis-coordinator'));
    expect(again.errors?.[0].extensions).toMatchObject({ field: 'input.id', rule: 'unique' });
    const wrongParent = await partners.graphql(add, { input: { ...input, id: 'x-y', parentId: 'housing' } }, await demoUserToken('ortenaukreis-coordinator'));
    expect(wrongParent.errors?.[0].extensions).toMatchObject({ field: 'input.parentId', rule: 'sameScheme' });
  });
});

describe('editing offerings', () => {
  const CREATE = `mutation($input: CreateOfferingInput!) { createOffering(input: $input) { id version status seatsFree title { text } type { id } lifeAreas { id } canEdit } }`;
  const base = {
    organizationId: DEMO_ORGANIZATIONS.vhs.id,
    typeId: 'integration-course-women',
    lifeAreaIds: ['language', 'childcare-school'],
    startsOn: '2027-04-12',
    endsOn: '2028-03-31',
    seatsTotal: 16,
    seatsFree: 16,
    costEur: '0.00',
    status: 'OPEN',
    title: [{ lang: 'DE', text: 'Frauenintegrationskurs mit Kinderbetreuung' }],
  };
  const countOfferings = async () => Number((await partners.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM offerings'))[0].n);

  it('lets the organisation’s administrator add an offering', async () => {
    const result = await partners.graphql<{ createOffering: Record<string, unknown> }>(CREATE, { input: base }, await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.OrgAdmin));
    expect(result.errors).toBeUndefined();
    expect(result.data!.createOffering).toMatchObject({
      version: 1,
      status: 'OPEN',
      seatsFree: 16,
      title: { text: 'Frauenintegrationskurs mit Kinderbetreuung' },
      type: { id: 'integration-course-women' },
      lifeAreas: [{ id: 'language' }, { id: 'childcare-school' }],
      canEdit: true,
    });
  });

  it('refuses other organisations, partner staff and anonymous callers', async () => {
    expect((await partners.graphql(CREATE, { input: base }, await roleToken(DEMO_ORGANIZATIONS.diakonie.id, Role.OrgAdmin))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await partners.graphql(CREATE, { input: base }, await demoUserToken('vhs-partner'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await partners.graphql(CREATE, { input: base })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['more free seats than seats', { seatsFree: 17 }, 'input.seatsFree', 'seatsFreeWithinTotal'],
    ['an end before the start', { endsOn: '2027-01-01' }, 'input.endsOn', 'endAfterStart'],
    ['an unknown type', { typeId: 'juggling' }, 'input.typeId', 'isOfferingType'],
    ['a life area that is an offering type', { lifeAreaIds: ['counselling'] }, 'input.lifeAreaIds', 'isLifeArea'],
    ['a location of another organisation', { locationId: '00000000-0000-4000-8000-000000000000' }, 'input.locationId', 'isOwnLocation'],
    ['a cost with three decimals', { costEur: '1.005' }, 'input.costEur', 'maxDecimalPlaces'],
    ['a negative cost', { costEur: '-5.00' }, 'input.costEur', 'min'],
    ['a title without original', { title: [{ lang: 'UK', text: 'Курс', state: 'MACHINE_TRANSLATED' }] }, 'input.title', 'hasOriginal'],
    ['a language that is not ISO 639', { supportLanguages: ['Arabic'] }, 'input.supportLanguages', 'isIso639'],
    ['a service area that is not a municipality', { serviceAreaMunicipalityIds: [DEMO_ORGANIZATIONS.jobcenter.id] }, 'input.serviceAreaMunicipalityIds', 'isMunicipality'],
  ])('refuses %s, naming field and rule, and stores nothing', async (_case, change, field, rule) => {
    const before = await countOfferings();
    const result = await partners.graphql(CREATE, { input: { ...base, ...change } }, await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.OrgAdmin));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await countOfferings()).toBe(before);
  });

  it('refuses negative seats through the input rules', async () => {
    const result = await partners.graphql(CREATE, { input: { ...base, seatsFree: -1 } }, await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.OrgAdmin));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'seatsFree', rule: 'min' }] });
  });

  it('updates with optimistic concurrency, and a changed original makes its translations outdated', async () => {
    const token = await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.OrgAdmin);
    const id = offeringId('vhs-ik-allgemein-2027-01');
    const UPDATE = `mutation($input: UpdateOfferingInput!) { updateOffering(input: $input) { version seatsFree title(lang: UK) { text language state } } }`;
    const [{ version }] = await partners.ownerQuery<{ version: number }>('SELECT version FROM offerings WHERE id = $1', [id]);
    const updated = await partners.graphql<{ updateOffering: { version: number; seatsFree: number; title: Text } }>(
      UPDATE,
      { input: { id, expectedVersion: version, seatsFree: 3, title: [{ lang: 'DE', text: 'Integrationskurs B1, vormittags (neue Zeiten)' }] } },
      token,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateOffering).toEqual({
      version: version + 1,
      seatsFree: 3,
      title: { text: 'Integrationskurs B1, vormittags (neue Zeiten)', language: 'DE', state: 'ORIGINAL' },
    });
    const [uk] = await partners.ownerQuery(`SELECT state FROM translations WHERE entity_id = $1 AND field = 'title' AND lang = 'uk'`, [id]);
    expect(uk).toEqual({ state: 'outdated' });
    const stale = await partners.graphql(UPDATE, { input: { id, expectedVersion: version, seatsFree: 0 } }, token);
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: version, actualVersion: version + 1 });
    expect((await partners.ownerQuery('SELECT seats_free FROM offerings WHERE id = $1', [id]))[0]).toEqual({ seats_free: 3 });
  });

  it('lets a translator of the organisation review a translation, and keeps one original per field', async () => {
    const token = await roleToken(DEMO_ORGANIZATIONS.vhs.id, Role.OrgAdmin);
    const id = offeringId('vhs-ik-abend-2027-02');
    const SET = `mutation($input: SetTextInput!) { setText(input: $input) { text language state } }`;
    const result = await partners.graphql(SET, { input: { entityType: 'OFFERING', entityId: id, field: 'title', lang: 'UK', text: 'Інтеграційний курс B1, увечері', state: 'REVIEWED' } }, token);
    expect(result.data).toEqual({ setText: { text: 'Інтеграційний курс B1, увечері', language: 'UK', state: 'REVIEWED' } });
    const served = await partners.graphql<{ offering: { title: Text } }>(`query($id: ID!) { offering(id: $id) { title(lang: UK) { text isFallback } } }`, { id });
    expect(served.data!.offering.title).toEqual({ text: 'Інтеграційний курс B1, увечері', isFallback: false });
    const secondOriginal = await partners.graphql(SET, { input: { entityType: 'OFFERING', entityId: id, field: 'title', lang: 'EN', text: 'x', state: 'ORIGINAL' } }, token);
    expect(secondOriginal.errors?.[0].extensions).toMatchObject({ field: 'title.lang', rule: 'oneOriginal' });
    const wrongField = await partners.graphql(SET, { input: { entityType: 'OFFERING', entityId: id, field: 'price', lang: 'EN', text: 'x', state: 'REVIEWED' } }, token);
    expect(wrongField.errors?.[0].extensions).toMatchObject({ field: 'input.field', rule: 'isTextField' });
    const foreign = await partners.graphql(SET, { input: { entityType: 'OFFERING', entityId: id, field: 'title', lang: 'EN', text: 'x', state: 'REVIEWED' } }, await roleToken(DEMO_ORGANIZATIONS.diakonie.id, Role.OrgAdmin));
    expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('records verification separately from changes, and flags entries not verified for too long', async () => {
    const id = offeringId('mbe-sprechstunde');
    await partners.ownerQuery(`UPDATE offerings SET last_verified_at = now() - interval '400 days' WHERE id = $1`, [id]);
    const before = await partners.graphql<{ offering: { isStale: boolean; updatedAt: string } }>(`query($id: ID!) { offering(id: $id) { isStale updatedAt } }`, { id });
    expect(before.data!.offering.isStale).toBe(true);
    const verified = await partners.graphql<{ verifyOffering: { isStale: boolean; updatedAt: string; lastVerifiedAt: string } }>(
      `mutation($id: ID!) { verifyOffering(id: $id) { isStale updatedAt lastVerifiedAt } }`,
      { id },
      await roleToken(DEMO_ORGANIZATIONS.mbe.id, Role.OrgAdmin),
    );
    expect(verified.data!.verifyOffering.isStale).toBe(false);
    expect(verified.data!.verifyOffering.updatedAt).toBe(before.data!.offering.updatedAt);
    expect(Date.now() - Date.parse(verified.data!.verifyOffering.lastVerifiedAt)).toBeLessThan(60_000);
  });
});

describe('row-level security of the directory', () => {
  it('lets anyone read offerings but only the owning organisation’s editors change them, in PostgreSQL itself', async () => {
    const client = await partners.appClient();
    const id = offeringId('vhs-ik-abend-2027-02');
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM offerings')).rows[0].n).toBeGreaterThan(5);
      expect((await client.query(`UPDATE offerings SET seats_free = 0 WHERE id = $1`, [id])).rowCount).toBe(0);
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'org_admin', true)`, [DEMO_ORGANIZATIONS.diakonie.id]);
      expect((await client.query(`UPDATE offerings SET seats_free = 0 WHERE id = $1`, [id])).rowCount).toBe(0);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'org_admin', true)`, [DEMO_ORGANIZATIONS.vhs.id]);
      expect((await client.query(`UPDATE offerings SET seats_free = 1 WHERE id = $1`, [id])).rowCount).toBe(1);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
