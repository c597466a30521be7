import { DEMO_ORGANIZATIONS, demoId, demoUserToken, KEHL_AGS, OFFENBURG_AGS, organizationIdForAgs, ORTENAUKREIS_AGS, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

let partners: TestSubgraph;
const O = DEMO_ORGANIZATIONS;


beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

interface LocationResult {
  id: string;
  version: number;
  street: string | null;
  postalCode: string | null;
  city: string;
  latitude: number | null;
  longitude: number | null;
  municipality: { ags: string; name: string } | null;
  openingHours: { weekday: number; opens: string; closes: string }[];
  name: { text: string; language: string } | null;
}

const LOCATION_FIELDS = 'id version street postalCode city latitude longitude municipality { ags name } openingHours { weekday opens closes } name { text language }';
const ADD = `mutation($input: AddLocationInput!) { addLocation(input: $input) { ${LOCATION_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateLocationInput!) { updateLocation(input: $input) { ${LOCATION_FIELDS} } }`;
const SET_SERVICE_AREA = `mutation($input: SetServiceAreaInput!) { setServiceArea(input: $input) { id serviceArea { id ags name } } }`;

const counts = async (organizationId: string) =>
  (
    await partners.ownerQuery(
      `SELECT (SELECT count(*)::int FROM locations WHERE organization_id = $1) AS locations,
              (SELECT count(*)::int FROM opening_hours h JOIN locations l ON l.id = h.location_id WHERE l.organization_id = $1) AS hours,
              (SELECT count(*)::int FROM translations WHERE entity_type = 'location') AS texts`,
      [organizationId],
    )
  )[0];

const validLocation = (organizationId: string) => ({
  organizationId,
  municipalityId: organizationIdForAgs(KEHL_AGS),
  street: 'Beispielstraße 7',
  postalCode: '77694',
  city: 'Kehl',
  latitude: 48.5729,
  longitude: 7.8156,
  name: [{ lang: 'DE', text: 'Sprechstunde Kehl' }, { lang: 'UK', text: 'Консультація в Келі', state: 'REVIEWED' }],
  openingHours: [
    { weekday: 2, opens: '09:00', closes: '12:00' },
    { weekday: 2, opens: '13:00', closes: '16:30' },
  ],
});

describe('locations', () => {
  it('serves an organisation’s locations publicly, with opening hours as "HH:MM", municipality and name', async () => {
    const result = await partners.graphql<{ organization: { locations: LocationResult[] } }>(
      `query($id: ID!) { organization(id: $id) { locations { ${LOCATION_FIELDS} accessibilityNote(lang: EN) { text language isFallback } } } }`,
      { id: O.jobcenter.id },
    );
    expect(result.errors).toBeUndefined();
    const locations = result.data!.organization.locations;
    expect(locations.map((l) => l.city)).toEqual(['Kehl', 'Lahr/Schwarzwald', 'Offenburg']);
    const offenburg = locations.find((l) => l.city === 'Offenburg')!;
    expect(offenburg).toMatchObject({ postalCode: '77652', latitude: 48.4745, longitude: 7.9448, municipality: { ags: OFFENBURG_AGS, name: 'Offenburg' } });
    expect(offenburg.openingHours[0]).toEqual({ weekday: 1, opens: '08:00', closes: '12:00' });
    expect(offenburg.openingHours.map((h) => h.weekday)).toEqual([...offenburg.openingHours.map((h) => h.weekday)].sort());
    expect(offenburg).toMatchObject({ name: { text: 'Jobcenter Offenburg', language: 'DE' }, accessibilityNote: { language: 'DE', isFallback: true } });
  });

  it('adds a location with opening hours and names (org_admin of the organisation)', async () => {
    const result = await partners.graphql<{ addLocation: LocationResult }>(ADD, { input: validLocation(O.caritas.id) }, await roleToken(O.caritas.id, Role.OrgAdmin));
    expect(result.errors).toBeUndefined();
    expect(result.data!.addLocation).toMatchObject({
      version: 1,
      city: 'Kehl',
      latitude: 48.5729,
      municipality: { ags: KEHL_AGS },
      name: { text: 'Sprechstunde Kehl' },
      openingHours: [
        { weekday: 2, opens: '09:00', closes: '12:00' },
        { weekday: 2, opens: '13:00', closes: '16:30' },
      ],
    });
    const uk = await partners.graphql(`query($id: ID!) { organization(id: $id) { locations { name(lang: UK) { text language } } } }`, { id: O.caritas.id });
    expect(uk.data).toMatchObject({ organization: { locations: expect.arrayContaining([{ name: { text: 'Консультація в Келі', language: 'UK' } }]) } });
  });

  it.each([
    ['FORBIDDEN', 'an org_admin of another organisation', () => roleToken(O.jobcenter.id, Role.OrgAdmin)],
    ['FORBIDDEN', 'staff with the partner role', () => demoUserToken('vhs-partner')],
    ['UNAUTHENTICATED', 'a caller without a token', async () => undefined],
  ])('refuses adding with %s %s, storing nothing', async (code, _who, token) => {
    const before = await counts(O.vhs.id);
    const result = await partners.graphql(ADD, { input: validLocation(O.vhs.id) }, await token());
    expect(result.errors?.[0].extensions?.code).toBe(code);
    expect(await counts(O.vhs.id)).toEqual(before);
  });

  it('lets a coordinator add a location for any organisation', async () => {
    const result = await partners.graphql(ADD, { input: { organizationId: O.volunteers.id, city: 'Lahr/Schwarzwald' } }, await demoUserToken('ortenaukreis-coordinator'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ addLocation: { city: 'Lahr/Schwarzwald', municipality: null, openingHours: [], name: null } });
  });

  const hours = (...spans: [number, string, string][]) => spans.map(([weekday, opens, closes]) => ({ weekday, opens, closes }));
  it.each([
    ['input.postalCode', 'isPostalCode', { postalCode: '7769' }],
    ['input.postalCode', 'isPostalCode', { postalCode: 'D-77694' }],
    ['input.latitude', 'isLatitude', { latitude: 90.5 }],
    ['input.longitude', 'isLongitude', { longitude: -180.01 }],
    ['input.longitude', 'bothCoordinates', { longitude: null }],
    ['input.municipalityId', 'isMunicipality', { municipalityId: DEMO_ORGANIZATIONS.vhs.id }],
    ['input.municipalityId', 'isMunicipality', { municipalityId: organizationIdForAgs(ORTENAUKREIS_AGS) }],
    ['input.municipalityId', 'isUuid', { municipalityId: 'Kehl' }],
    ['input.city', 'isNotEmpty', { city: ' ' }],
    ['input.openingHours.0.weekday', 'isWeekday', { openingHours: hours([0, '09:00', '12:00']) }],
    ['input.openingHours.1.weekday', 'isWeekday', { openingHours: hours([1, '09:00', '12:00'], [8, '09:00', '12:00']) }],
    ['input.openingHours.0.opens', 'isTime', { openingHours: hours([1, '9:00', '12:00']) }],
    ['input.openingHours.0.closes', 'isTime', { openingHours: hours([1, '09:00', '24:00']) }],
    ['input.openingHours.0.closes', 'isTime', { openingHours: hours([1, '09:00', '12:00:00']) }],
    ['input.openingHours.0.closes', 'closesAfterOpens', { openingHours: hours([1, '12:00', '09:00']) }],
    ['input.openingHours.0.closes', 'closesAfterOpens', { openingHours: hours([1, '09:00', '09:00']) }],
    ['input.openingHours.1.opens', 'noOverlap', { openingHours: hours([1, '09:00', '12:00'], [1, '11:30', '14:00']) }],
    ['input.name', 'uniqueLanguage', { name: [{ lang: 'DE', text: 'A' }, { lang: 'DE', text: 'B' }] }],
  ])('names %s and %s and stores nothing', async (field, rule, change) => {
    const before = await counts(O.vhs.id);
    const result = await partners.graphql(ADD, { input: { ...validLocation(O.vhs.id), ...change } }, await roleToken(O.vhs.id, Role.OrgAdmin));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await counts(O.vhs.id)).toEqual(before);
  });

  describe('changing and removing', () => {
    const locationId = demoId('location', 'diakonie-lahr');
    const row = async () => (await partners.ownerQuery(`SELECT version, street, latitude::float, longitude::float FROM locations WHERE id = $1`, [locationId]))[0];
    const hoursOf = () => partners.ownerQuery(`SELECT weekday, to_char(opens, 'HH24:MI') AS opens FROM opening_hours WHERE location_id = $1 ORDER BY weekday, opens`, [locationId]);

    it('replaces the opening hours and counts up the version even when only they change', async () => {
      const result = await partners.graphql<{ updateLocation: LocationResult }>(
        UPDATE,
        { input: { id: locationId, expectedVersion: 1, openingHours: hours([2, '10:00', '12:00'], [5, '09:00', '11:00']) } },
        await roleToken(O.diakonie.id, Role.Lead),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateLocation).toMatchObject({
        version: 2,
        street: 'Beispielgasse 2',
        openingHours: [
          { weekday: 2, opens: '10:00', closes: '12:00' },
          { weekday: 5, opens: '09:00', closes: '11:00' },
        ],
      });
    });

    it('changes one coordinate against the stored other one, and clears optional fields given as null', async () => {
      const result = await partners.graphql<{ updateLocation: LocationResult }>(
        UPDATE,
        { input: { id: locationId, expectedVersion: 2, latitude: 48.341, street: null } },
        await roleToken(O.diakonie.id, Role.Lead),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateLocation).toMatchObject({ version: 3, street: null, latitude: 48.341, longitude: 7.8712 });
      const clearOne = await partners.graphql(UPDATE, { input: { id: locationId, expectedVersion: 3, latitude: null } }, await roleToken(O.diakonie.id, Role.Lead));
      expect(clearOne.errors?.[0].extensions).toMatchObject({ field: 'input.latitude', rule: 'bothCoordinates' });
    });

    it('refuses a stale version with CONFLICT and changes neither the location nor its opening hours', async () => {
      const [before, beforeHours] = [await row(), await hoursOf()];
      const result = await partners.graphql(
        UPDATE,
        { input: { id: locationId, expectedVersion: 2, street: 'Anderswo 1', openingHours: [] } },
        await roleToken(O.diakonie.id, Role.Lead),
      );
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 2, actualVersion: 3 });
      expect(await row()).toEqual(before);
      expect(await hoursOf()).toEqual(beforeHours);
    });

    it('refuses another organisation’s editor', async () => {
      const before = await row();
      const result = await partners.graphql(UPDATE, { input: { id: locationId, expectedVersion: 3, street: 'Übernommen 1' } }, await roleToken(O.caritas.id, Role.OrgAdmin));
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await row()).toEqual(before);
    });

    it('removes a location with its opening hours', async () => {
      const other = await partners.graphql(`mutation($id: ID!) { removeLocation(id: $id) }`, { id: locationId }, await roleToken(O.vhs.id, Role.OrgAdmin));
      expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const result = await partners.graphql(`mutation($id: ID!) { removeLocation(id: $id) }`, { id: locationId }, await roleToken(O.diakonie.id, Role.OrgAdmin));
      expect(result.data).toEqual({ removeLocation: locationId });
      expect(await row()).toBeUndefined();
      expect(await hoursOf()).toEqual([]);
      expect(await partners.ownerQuery(`SELECT lang FROM translations WHERE entity_type = 'location' AND entity_id = $1`, [locationId])).toEqual([]);
    });

    it('refuses removing a location where offerings take place', async () => {
      const vhsOffenburg = demoId('location', 'vhs-offenburg');
      const result = await partners.graphql(`mutation($id: ID!) { removeLocation(id: $id) }`, { id: vhsOffenburg }, await roleToken(O.vhs.id, Role.OrgAdmin));
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', rule: 'notInUse' });
      expect(await partners.ownerQuery(`SELECT id FROM locations WHERE id = $1`, [vhsOffenburg])).toHaveLength(1);
    });
  });
});

describe('service area', () => {
  const serviceAreaOf = async (organizationId: string) => {
    const result = await partners.graphql<{ organization: { serviceArea: { ags: string; name: string }[] } }>(
      `query($id: ID!) { organization(id: $id) { serviceArea { ags name } } }`,
      { id: organizationId },
    );
    return result.data!.organization.serviceArea;
  };

  it('lists the municipalities an organisation serves, by name: the Jobcenter serves all 51 of the Ortenaukreis', async () => {
    const area = await serviceAreaOf(O.jobcenter.id);
    expect(area).toHaveLength(51);
    expect(area.every((m) => m.ags.startsWith(ORTENAUKREIS_AGS))).toBe(true);
    expect(area.map((m) => m.name)).toEqual([...area.map((m) => m.name)].sort((a, b) => a.localeCompare(b, 'de')));
  });

  it('replaces the list', async () => {
    const ids = [OFFENBURG_AGS, KEHL_AGS].map(organizationIdForAgs);
    const result = await partners.graphql(SET_SERVICE_AREA, { input: { organizationId: O.volunteers.id, municipalityIds: ids } }, await roleToken(O.volunteers.id, Role.OrgAdmin));
    expect(result.errors).toBeUndefined();
    expect(await serviceAreaOf(O.volunteers.id)).toEqual([
      { ags: KEHL_AGS, name: 'Kehl' },
      { ags: OFFENBURG_AGS, name: 'Offenburg' },
    ]);
  });

  it.each([
    ['input.municipalityIds.1', 'isMunicipality', [organizationIdForAgs(KEHL_AGS), DEMO_ORGANIZATIONS.jobcenter.id]],
    ['input.municipalityIds.0', 'isUuid', ['08317057']],
    ['input.municipalityIds', 'arrayUnique', [organizationIdForAgs(KEHL_AGS), organizationIdForAgs(KEHL_AGS)]],
  ])('names %s and %s and keeps the list', async (field, rule, municipalityIds) => {
    const before = await serviceAreaOf(O.volunteers.id);
    const result = await partners.graphql(SET_SERVICE_AREA, { input: { organizationId: O.volunteers.id, municipalityIds } }, await roleToken(O.volunteers.id, Role.OrgAdmin));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await serviceAreaOf(O.volunteers.id)).toEqual(before);
  });

  it('refuses other organisations’ editors', async () => {
    const before = await serviceAreaOf(O.volunteers.id);
    const result = await partners.graphql(SET_SERVICE_AREA, { input: { organizationId: O.volunteers.id, municipalityIds: [] } }, await roleToken(O.diakonie.id, Role.OrgAdmin));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await serviceAreaOf(O.volunteers.id)).toEqual(before);
  });
});

describe('DataLoaders', () => {
  it('costs one SELECT per relation for the contact points, locations, opening hours and service areas of N organisations', async () => {
    const organizations = Object.values(DEMO_ORGANIZATIONS);
    partners.statements.reset();
    const result = await partners.graphql<{ _entities: { id: string; contactPoints: unknown[]; locations: { openingHours: unknown[] }[]; serviceArea: unknown[] }[] }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organization {
         id contactPoints { value } serviceArea { name } description { text }
         locations { city municipality { name } name { text } openingHours { weekday opens closes } } } } }`,
      { representations: organizations.map(({ id }) => ({ __typename: 'Organization', id })) },
      await demoUserToken('ortenaukreis-caseworker'),
    );
    expect(result.errors).toBeUndefined();
    const entities = result.data!._entities;
    expect(entities.filter((o) => o.contactPoints.length).length).toBeGreaterThan(5);
    expect(entities.flatMap((o) => o.locations).filter((l) => l.openingHours.length).length).toBeGreaterThan(5);
    for (const table of ['contact_points', 'locations', 'opening_hours', 'organization_service_areas']) {
      expect({ table, selects: partners.statements.selectsFrom(table).length }).toEqual({ table, selects: 1 });
    }
    // The organisations themselves, then the municipalities of locations and service areas.
    expect(partners.statements.selectsFrom('organizations').length).toBeLessThanOrEqual(2);
  });
});
