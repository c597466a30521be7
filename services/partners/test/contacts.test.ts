import { createDataSource, createLogger, DEMO_ORGANIZATIONS, demoId, demoUserToken, Role, roleToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { partnersSubgraph } from '../src/subgraph';

let partners: TestSubgraph;
const O = DEMO_ORGANIZATIONS;


beforeAll(async () => {
  partners = await startTestSubgraph(partnersSubgraph, { seed: true });
});
afterAll(() => partners?.stop());

interface Contact {
  id: string;
  kind: string;
  value: string;
  label: string | null;
  visibility: string;
  version: number;
}

const CONTACTS = `query($id: ID!) { organization(id: $id) { contactPoints { id kind value label visibility version } } }`;
const ADD = `mutation($input: AddContactPointInput!) { addContactPoint(input: $input) { id kind value label visibility version } }`;
const UPDATE = `mutation($input: UpdateContactPointInput!) { updateContactPoint(input: $input) { id value label visibility version } }`;
const REMOVE = `mutation($id: ID!) { removeContactPoint(id: $id) }`;

async function contactsOf(organizationId: string, token?: string): Promise<Contact[]> {
  const result = await partners.graphql<{ organization: { contactPoints: Contact[] } }>(CONTACTS, { id: organizationId }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.organization.contactPoints;
}

const contactRows = (organizationId: string) =>
  partners.ownerQuery(`SELECT id, kind, value, label, visibility, version FROM contact_points WHERE organization_id = $1 ORDER BY id`, [organizationId]);

describe('demo data', () => {
  const snapshot = async () => ({
    contacts: await partners.ownerQuery(`SELECT id, value, visibility, version FROM contact_points ORDER BY id`),
    locations: await partners.ownerQuery(`SELECT id, city, version FROM locations ORDER BY id`),
    hours: await partners.ownerQuery(`SELECT id, weekday, opens FROM opening_hours ORDER BY id`),
    areas: await partners.ownerQuery(`SELECT organization_id, municipality_id FROM organization_service_areas ORDER BY 1, 2`),
    texts: await partners.ownerQuery(`SELECT entity_type, entity_id, field, lang, text, state FROM translations ORDER BY 1, 2, 3, 4`),
    organizations: await partners.ownerQuery(`SELECT id, version, languages_spoken, last_verified_at FROM organizations ORDER BY id`),
  });

  it('seeds contact points, locations, service areas, languages and texts idempotently', async () => {
    const before = await snapshot();
    expect(before.contacts.length).toBeGreaterThan(20);
    expect(before.hours.length).toBeGreaterThan(20);
    expect(before.texts.some((t) => t.entity_type === 'organization' && t.state === 'outdated')).toBe(true);
    expect(before.organizations.find((o) => o.id === O.jobcenter.id)?.languages_spoken).toEqual(['de', 'en', 'ar', 'uk', 'tr']);
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

describe('contact points', () => {
  describe('reading', () => {
    it('shows public callers only PUBLIC contact points, in the order the organisation set', async () => {
      const contacts = await contactsOf(O.jobcenter.id);
      expect(contacts.length).toBeGreaterThan(0);
      expect(new Set(contacts.map((c) => c.visibility))).toEqual(new Set(['PUBLIC']));
      const [{ count }] = await partners.ownerQuery<{ count: number }>(
        `SELECT count(*)::int AS count FROM contact_points WHERE organization_id = $1 AND visibility = 'public'`,
        [O.jobcenter.id],
      );
      expect(contacts).toHaveLength(count);
      expect(contacts[0]).toMatchObject({ kind: 'PHONE', label: 'Servicecenter' });
    });

    it('shows authenticated callers of any organisation the INTERNAL ones as well', async () => {
      const contacts = await contactsOf(O.jobcenter.id, await demoUserToken('ortenaukreis-caseworker'));
      expect(contacts.filter((c) => c.visibility === 'INTERNAL').length).toBeGreaterThan(0);
      expect(contacts).toHaveLength((await contactRows(O.jobcenter.id)).length);
    });

    it('keeps internal contact points from the application role without a caller (row-level security)', async () => {
      const client = await partners.appClient();
      try {
        const anonymous = await client.query(`SELECT DISTINCT visibility FROM contact_points`);
        expect(anonymous.rows).toEqual([{ visibility: 'public' }]);
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'partner', true)`, [O.vhs.id]);
        const authenticated = await client.query(`SELECT DISTINCT visibility FROM contact_points ORDER BY visibility`);
        await client.query('ROLLBACK');
        expect(authenticated.rows).toEqual([{ visibility: 'internal' }, { visibility: 'public' }]);
      } finally {
        await client.end();
      }
    });
  });

  describe('who may edit', () => {
    const input = (label: string) => ({ organizationId: O.vhs.id, kind: 'EMAIL', value: 'anmeldung@vhs-offenburg.example', label, visibility: 'PUBLIC' });

    it.each([
      ['an org_admin of the organisation', () => roleToken(O.vhs.id, Role.OrgAdmin)],
      ['a lead of the organisation', () => roleToken(O.vhs.id, Role.Lead)],
      ['a coordinator of the district', () => demoUserToken('ortenaukreis-coordinator')],
    ])('lets %s add a contact point', async (who, token) => {
      const result = await partners.graphql<{ addContactPoint: Contact }>(ADD, { input: input(`added by ${who}`) }, await token());
      expect(result.errors).toBeUndefined();
      expect(result.data!.addContactPoint).toMatchObject({ kind: 'EMAIL', visibility: 'PUBLIC', label: `added by ${who}`, version: 1 });
      const contacts = await contactsOf(O.vhs.id);
      expect(contacts[contacts.length - 1].id).toBe(result.data!.addContactPoint.id);
    });

    it.each([
      ['FORBIDDEN', 'an org_admin of another organisation', () => roleToken(O.jobcenter.id, Role.OrgAdmin)],
      ['FORBIDDEN', 'staff of the organisation with the partner role', () => demoUserToken('vhs-partner')],
      ['FORBIDDEN', 'a caseworker', () => demoUserToken('ortenaukreis-caseworker')],
      ['UNAUTHENTICATED', 'a caller without a token', async () => undefined],
    ])('refuses with %s %s, and stores nothing', async (code, _who, token) => {
      const before = await contactRows(O.vhs.id);
      const result = await partners.graphql(ADD, { input: input('not allowed') }, await token());
      expect(result.errors?.[0].extensions?.code).toBe(code);
      expect(await contactRows(O.vhs.id)).toEqual(before);
    });

    it('refuses changing or removing another organisation’s contact point', async () => {
      const [contact] = await contactRows(O.jobcenter.id);
      const token = await roleToken(O.vhs.id, Role.OrgAdmin);
      const update = await partners.graphql(UPDATE, { input: { id: contact.id, expectedVersion: contact.version, label: 'taken over' } }, token);
      expect(update.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const remove = await partners.graphql(REMOVE, { id: contact.id }, token);
      expect(remove.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const unauthenticated = await partners.graphql(REMOVE, { id: contact.id });
      expect(unauthenticated.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await contactRows(O.jobcenter.id))[0]).toEqual(contact);
    });

    it('answers NOT_FOUND for a contact point that does not exist', async () => {
      const result = await partners.graphql(REMOVE, { id: '00000000-0000-4000-8000-000000000000' }, await demoUserToken('ortenaukreis-coordinator'));
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('validation', () => {
    const longUrl = `https://www.vhs-offenburg.example/${'kurs/'.repeat(100)}`;
    it.each([
      ['EMAIL', '"beratung at vhs"', 'isEmail', 'beratung at vhs'],
      ['EMAIL', '"beratung@"', 'isEmail', 'beratung@'],
      ['PHONE', '"ruf mich an"', 'isPhoneNumber', 'ruf mich an'],
      ['PHONE', 'with five digits', 'isPhoneNumber', '0781 8'],
      ['PHONE', 'with letters', 'isPhoneNumber', '0781 805-0 ext. 7'],
      ['PHONE', 'with + inside', 'isPhoneNumber', '0781 +805'],
      ['WEBSITE', 'without protocol', 'isUrl', 'www.vhs-offenburg.example'],
      ['WEBSITE', 'with ftp://', 'isUrl', 'ftp://vhs-offenburg.example'],
      ['WEBSITE', 'with javascript:', 'isUrl', 'javascript:alert(1)'],
      ['PHONE', 'of blanks', 'isNotEmpty', '   '],
      ['WEBSITE', 'of 534 characters', 'maxLength', longUrl],
    ])('refuses a %s %s naming input.value and %s, storing nothing', async (kind, _shown, rule, value) => {
      const before = await contactRows(O.vhs.id);
      const result = await partners.graphql(ADD, { input: { organizationId: O.vhs.id, kind, value, visibility: 'PUBLIC' } }, await roleToken(O.vhs.id, Role.OrgAdmin));
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.value', rule });
      expect(await contactRows(O.vhs.id)).toEqual(before);
    });

    it.each([
      ['PHONE', '+49 781 805-0'],
      ['PHONE', '0781 805-0'],
      ['PHONE', '(0781) 805 / 12 34'],
      ['EMAIL', 'anmeldung@vhs-offenburg.de'],
      ['WEBSITE', 'https://www.vhs-offenburg.de/kurse?sprache=uk'],
      ['WEBSITE', 'http://freundeskreis-asyl.example'],
    ])('accepts a %s "%s"', async (kind, value) => {
      const result = await partners.graphql(ADD, { input: { organizationId: O.vhs.id, kind, value, visibility: 'INTERNAL' } }, await roleToken(O.vhs.id, Role.OrgAdmin));
      expect(result.errors).toBeUndefined();
    });

    it('names input.label when the label is too long', async () => {
      const result = await partners.graphql(
        ADD,
        { input: { organizationId: O.vhs.id, kind: 'PHONE', value: '0781 805-0', label: 'x'.repeat(101), visibility: 'PUBLIC' } },
        await roleToken(O.vhs.id, Role.OrgAdmin),
      );
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.label', rule: 'maxLength' });
    });

    it('checks a changed value against the kind of the contact point', async () => {
      const [email] = (await contactRows(O.mbe.id)).filter((c) => c.kind === 'email');
      const result = await partners.graphql(UPDATE, { input: { id: email.id, expectedVersion: email.version, value: '0781 805-0' } }, await roleToken(O.mbe.id, Role.Lead));
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.value', rule: 'isEmail' });
    });
  });

  describe('changing and removing', () => {
    const caritasId = demoId('contact-point', 'caritas-0');

    it('changes value, label and visibility and counts up the version', async () => {
      const result = await partners.graphql<{ updateContactPoint: Contact }>(
        UPDATE,
        { input: { id: caritasId, expectedVersion: 1, value: ' +49 781 555-5001 ', label: 'Zentrale (neu)', visibility: 'INTERNAL' } },
        await roleToken(O.caritas.id, Role.OrgAdmin),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateContactPoint).toEqual({ id: caritasId, value: '+49 781 555-5001', label: 'Zentrale (neu)', visibility: 'INTERNAL', version: 2 });
      expect((await contactsOf(O.caritas.id)).map((c) => c.id)).not.toContain(caritasId);
    });

    it('leaves omitted fields as they are and removes a label given as null', async () => {
      const result = await partners.graphql<{ updateContactPoint: Contact }>(
        UPDATE,
        { input: { id: caritasId, expectedVersion: 2, label: null } },
        await roleToken(O.caritas.id, Role.OrgAdmin),
      );
      expect(result.data!.updateContactPoint).toEqual({ id: caritasId, value: '+49 781 555-5001', label: null, visibility: 'INTERNAL', version: 3 });
    });

    it('refuses a stale version with CONFLICT and changes nothing', async () => {
      const before = await contactRows(O.caritas.id);
      const result = await partners.graphql(UPDATE, { input: { id: caritasId, expectedVersion: 2, value: '0781 1' } }, await roleToken(O.caritas.id, Role.OrgAdmin));
      // Validation comes first; with a valid value the stale version is reported.
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.value' });
      const stale = await partners.graphql(UPDATE, { input: { id: caritasId, expectedVersion: 2, value: '0781 555-5002' } }, await roleToken(O.caritas.id, Role.OrgAdmin));
      expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 2, actualVersion: 3 });
      expect(await contactRows(O.caritas.id)).toEqual(before);
    });

    it('removes a contact point', async () => {
      const result = await partners.graphql(REMOVE, { id: caritasId }, await demoUserToken('ortenaukreis-coordinator'));
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ removeContactPoint: caritasId });
      expect(await partners.ownerQuery(`SELECT id FROM contact_points WHERE id = $1`, [caritasId])).toEqual([]);
    });

    it('rolls back the whole request when a later mutation fails', async () => {
      const before = await contactRows(O.diakonie.id);
      const result = await partners.graphql(
        `mutation($ok: AddContactPointInput!, $bad: AddContactPointInput!) { a: addContactPoint(input: $ok) { id } b: addContactPoint(input: $bad) { id } }`,
        {
          ok: { organizationId: O.diakonie.id, kind: 'PHONE', value: '07821 555-601', visibility: 'PUBLIC' },
          bad: { organizationId: O.diakonie.id, kind: 'EMAIL', value: 'kein-mail', visibility: 'PUBLIC' },
        },
        await roleToken(O.diakonie.id, Role.OrgAdmin),
      );
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await contactRows(O.diakonie.id)).toEqual(before);
    });
  });
});

describe("an organisation's entry (updateOrganization)", () => {
  const UPDATE_ORGANIZATION = `mutation($input: UpdateOrganizationInput!) {
    updateOrganization(input: $input) { id version languagesSpoken updatedAt description { text language state } } }`;
  const DESCRIPTION = `query($id: ID!, $lang: Language!) { organization(id: $id) {
    description(lang: $lang) { text language requestedLanguage isFallback state } accessibilityNote(lang: $lang) { text language } } }`;

  const organizationRow = async (id: string) =>
    (await partners.ownerQuery<{ version: number; languages_spoken: string[]; updated_at: Date }>(
      `SELECT version, languages_spoken, updated_at FROM organizations WHERE id = $1`,
      [id],
    ))[0];
  const textRows = (id: string) =>
    partners.ownerQuery(`SELECT field, lang, text, state FROM translations WHERE entity_type = 'organization' AND entity_id = $1 ORDER BY field, lang`, [id]);

  it('serves descriptions in the requested language and falls back to German past outdated translations', async () => {
    const uk = await partners.graphql(DESCRIPTION, { id: O.jobcenter.id, lang: 'UK' });
    expect(uk.data).toMatchObject({ organization: { description: { language: 'UK', isFallback: false, state: 'REVIEWED' } } });
    const en = await partners.graphql(DESCRIPTION, { id: O.jobcenter.id, lang: 'EN' });
    expect(en.data).toMatchObject({ organization: { description: { language: 'DE', requestedLanguage: 'EN', isFallback: true, state: 'ORIGINAL' } } });
    const byDefault = await partners.graphql(`query($id: ID!) { organization(id: $id) { description { language requestedLanguage isFallback } } }`, { id: O.jobcenter.id });
    expect(byDefault.data).toEqual({ organization: { description: { language: 'DE', requestedLanguage: 'DE', isFallback: false } } });
    const vhs = await partners.graphql(DESCRIPTION, { id: O.vhs.id, lang: 'AR' });
    expect(vhs.data).toMatchObject({ organization: { accessibilityNote: { language: 'DE' }, description: { language: 'AR' } } });
  });

  it.each([
    ['FORBIDDEN', 'an org_admin of another organisation', () => roleToken(O.jobcenter.id, Role.OrgAdmin)],
    ['FORBIDDEN', 'staff with the partner role', () => demoUserToken('vhs-partner')],
    ['UNAUTHENTICATED', 'a caller without a token', async () => undefined],
  ])('refuses with %s %s', async (code, _who, token) => {
    const before = await organizationRow(O.vhs.id);
    const result = await partners.graphql(UPDATE_ORGANIZATION, { input: { id: O.vhs.id, expectedVersion: before.version, languagesSpoken: ['de'] } }, await token());
    expect(result.errors?.[0].extensions?.code).toBe(code);
    expect(await organizationRow(O.vhs.id)).toEqual(before);
  });

  it('changes the languages spoken and counts up the version', async () => {
    const before = await organizationRow(O.mbe.id);
    const result = await partners.graphql<{ updateOrganization: { version: number; languagesSpoken: string[] } }>(
      UPDATE_ORGANIZATION,
      { input: { id: O.mbe.id, expectedVersion: before.version, languagesSpoken: ['de', 'ar', 'prs', 'ti'] } },
      await roleToken(O.mbe.id, Role.OrgAdmin),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateOrganization).toMatchObject({ version: before.version + 1, languagesSpoken: ['de', 'ar', 'prs', 'ti'] });
  });

  it.each([['Deutsch'], ['DE'], ['de-DE'], ['d']])('refuses the language code "%s" naming field and rule', async (code) => {
    const before = await organizationRow(O.mbe.id);
    const result = await partners.graphql(
      UPDATE_ORGANIZATION,
      { input: { id: O.mbe.id, expectedVersion: before.version, languagesSpoken: ['de', code] } },
      await roleToken(O.mbe.id, Role.OrgAdmin),
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.languagesSpoken', rule: 'isIso639' });
    expect(result.errors?.[0].message).toContain(code);
    expect(await organizationRow(O.mbe.id)).toEqual(before);
  });

  it('counts up the version when only texts change, and the coordinator may do it', async () => {
    const before = await organizationRow(O.diakonie.id);
    const result = await partners.graphql<{ updateOrganization: { version: number } }>(
      UPDATE_ORGANIZATION,
      { input: { id: O.diakonie.id, expectedVersion: before.version, accessibilityNote: [{ lang: 'DE', text: 'Erdgeschoss, stufenlos, Klingel am Seiteneingang.' }] } },
      await demoUserToken('ortenaukreis-coordinator'),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateOrganization.version).toBe(before.version + 1);
  });

  it('marks translations OUTDATED when the German original changes, and no longer serves them', async () => {
    const before = await organizationRow(O.vhs.id);
    const token = await roleToken(O.vhs.id, Role.Lead);
    const text = 'Die Volkshochschule Offenburg bietet Integrations-, Alphabetisierungs- und Berufssprachkurse an. Einstufung nach Termin.';
    const result = await partners.graphql(
      UPDATE_ORGANIZATION,
      { input: { id: O.vhs.id, expectedVersion: before.version, description: [{ lang: 'UK', text: 'Новий переклад', state: 'REVIEWED' }, { lang: 'DE', text }] } },
      token,
    );
    expect(result.errors).toBeUndefined();
    const states = Object.fromEntries((await textRows(O.vhs.id)).filter((row) => row.field === 'description').map((row) => [row.lang, row.state]));
    // The translation sent along with the new original stays current; the others are outdated.
    expect(states).toEqual({ de: 'original', uk: 'reviewed', en: 'outdated', ar: 'outdated' });
    const en = await partners.graphql(DESCRIPTION, { id: O.vhs.id, lang: 'EN' });
    expect(en.data).toMatchObject({ organization: { description: { text, language: 'DE', isFallback: true } } });
    const uk = await partners.graphql(DESCRIPTION, { id: O.vhs.id, lang: 'UK' });
    expect(uk.data).toMatchObject({ organization: { description: { text: 'Новий переклад', language: 'UK' } } });
  });

  it('refuses a stale version with CONFLICT and changes neither languages nor texts', async () => {
    const before = await organizationRow(O.vhs.id);
    const texts = await textRows(O.vhs.id);
    const result = await partners.graphql(
      UPDATE_ORGANIZATION,
      { input: { id: O.vhs.id, expectedVersion: before.version - 1, languagesSpoken: ['de'], description: [{ lang: 'DE', text: 'Überschrieben' }] } },
      await roleToken(O.vhs.id, Role.OrgAdmin),
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: before.version - 1, actualVersion: before.version });
    expect(await organizationRow(O.vhs.id)).toEqual(before);
    expect(await textRows(O.vhs.id)).toEqual(texts);
  });

  it('changes nothing when a text is invalid', async () => {
    const before = await organizationRow(O.vhs.id);
    const texts = await textRows(O.vhs.id);
    const result = await partners.graphql(
      UPDATE_ORGANIZATION,
      { input: { id: O.vhs.id, expectedVersion: before.version, languagesSpoken: ['de'], description: [{ lang: 'DE', text: 'Neu' }, { lang: 'DE', text: 'Doppelt' }] } },
      await roleToken(O.vhs.id, Role.OrgAdmin),
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description', rule: 'uniqueLanguage' });
    expect(await organizationRow(O.vhs.id)).toEqual(before);
    expect(await textRows(O.vhs.id)).toEqual(texts);
  });
});
