import {
  createDataSource,
  createLogger,
  DEMO_ORGANIZATIONS,
  DEMO_REFERRALS,
  demoId,
  demoUserToken,
  Role,
  roleToken,
  startTestSubgraph,
  TestSubgraph,
} from '@integration-graph/common';
import { SHAREABLE_FIELDS } from '../src/consent/vocabulary';
import { ENTITIES } from '../src/entities';
import { seedCases } from '../src/seed/cases';
import { CASES_WITHOUT_COUNSELLING_CONSENT, seedConsents } from '../src/seed/consents';
import { seedDemoData } from '../src/seed';
import { casesSubgraph } from '../src/subgraph';
import { todayInGermany } from '../src/validation';

let cases: TestSubgraph;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
});
afterAll(() => cases?.stop());

const O = DEMO_ORGANIZATIONS;
const caseId = (key: string) => demoId('case', key);
type Check = { allowed: boolean; scope: string[]; reason: string | null; missing: string[]; checkedAt: string; consent: { id: string; kind: string } | null };
type ConsentView = { id: string; kind: string; isValid: boolean; version: number; revokedAt: string | null; scope: string[]; recipientKind: string | null; recipientOrganization: { id: string } | null };

const CONSENT_FIELDS = 'id kind isValid version revokedAt revocationNote scope purposes recipientKind recipientOrganization { id } textVersion explainedIn givenOn validUntil case { id }';
const RECORD = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const REVOKE = `mutation($input: RevokeConsentInput!) { revokeConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const CHECK = `query($caseId: ID!, $org: ID!, $kind: String) {
  dataSharingConsent(caseId: $caseId, recipientOrganizationId: $org, recipientKind: $kind) { allowed scope reason missing checkedAt consent { id kind } } }`;

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await cases.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n);
const consentRow = async (id: string) => (await cases.ownerQuery(`SELECT * FROM consents WHERE id = $1`, [id]))[0] as Record<string, unknown>;

const counselling = (theCaseId: string, overrides: Record<string, unknown> = {}) => ({
  caseId: theCaseId,
  kind: 'COUNSELLING',
  purposes: ['Beratung im Integrationsmanagement', 'Integrationsplan'],
  textVersion: 'IM-BW-2023-2',
  explainedIn: 'ar',
  givenOn: '2026-01-15',
  ...overrides,
});
const sharing = (theCaseId: string, overrides: Record<string, unknown> = {}) => ({
  caseId: theCaseId,
  kind: 'DATA_SHARING',
  recipientOrganizationId: O.jobcenter.id,
  scope: ['name', 'phone', 'germanLevel'],
  purposes: ['Vermittlung an das Jobcenter'],
  textVersion: 'IM-BW-DW-2023-1',
  explainedIn: 'ar',
  givenOn: '2026-01-15',
  ...overrides,
});

async function check(token: string, theCaseId: string, org: string, kind?: string): Promise<Check> {
  const result = await cases.graphql<{ dataSharingConsent: Check }>(CHECK, { caseId: theCaseId, org, kind }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.dataSharingConsent;
}

async function record(token: string, input: Record<string, unknown>): Promise<ConsentView> {
  const result = await cases.graphql<{ recordConsent: ConsentView }>(RECORD, { input }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.recordConsent;
}

/** Opens a fresh case (with a new client) of the caller's organisation. */
async function openCase(token: string, familyName: string): Promise<string> {
  const result = await cases.graphql<{ openCase: { id: string } }>(
    `mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`,
    {
      input: {
        client: {
          givenName: 'Hana',
          familyName,
          dateOfBirth: '1988-10-02',
          gender: 'FEMALE',
          nationalities: ['AF'],
          languages: ['fa'],
          arrivedOn: '2019-05-05',
          residenceStatus: 'SUBSIDIARY_PROTECTION',
          followUpAccommodation: 'CURRENT',
        },
        openedAt: '2026-01-10T09:00:00Z',
      },
    },
    token,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.openCase.id;
}

describe('recording consent', () => {
  let token: string;
  let theCase: string;

  beforeAll(async () => {
    token = await demoUserToken('ortenaukreis-caseworker');
    theCase = await openCase(token, 'Einwilligung');
  });

  it('records counselling and data-sharing consents, listed newest first on the case', async () => {
    const first = await record(token, counselling(theCase, { givenOn: '2026-01-10' }));
    expect(first).toMatchObject({ kind: 'COUNSELLING', isValid: true, version: 1, revokedAt: null, scope: [], recipientOrganization: null, case: { id: theCase } });
    const second = await record(token, sharing(theCase, { scope: ['name', 'phone', 'name'] }));
    expect(second).toMatchObject({ kind: 'DATA_SHARING', isValid: true, scope: ['name', 'phone'], recipientOrganization: { id: O.jobcenter.id }, recipientKind: null });
    const byKind = await record(token, sharing(theCase, { recipientOrganizationId: null, recipientKind: 'LANGUAGE_COURSE_PROVIDER', givenOn: '2026-01-20', validUntil: '2026-01-20' }));
    expect(byKind).toMatchObject({ recipientKind: 'language_course_provider', recipientOrganization: null });
    const [row] = await cases.ownerQuery(`SELECT recorded_by, owner_organization_id FROM consents WHERE id = $1`, [first.id]);
    expect(row).toEqual({ recorded_by: demoId('user', 'ortenaukreis-caseworker'), owner_organization_id: O.ortenaukreis.id });
    const listed = await cases.graphql<{ case: { consents: { id: string }[] } }>(`query($id: ID!) { case(id: $id) { consents { id } } }`, { id: theCase }, token);
    expect(listed.data!.case.consents.map((c) => c.id)).toEqual([byKind.id, second.id, first.id]);
  });

  it.each([
    ['a counselling consent with a recipient', counselling, { recipientOrganizationId: O.jobcenter.id }, 'input.recipientOrganizationId', 'noRecipient'],
    ['a counselling consent with a recipient kind', counselling, { recipientKind: 'jobcenter' }, 'input.recipientKind', 'noRecipient'],
    ['a counselling consent with a scope', counselling, { scope: ['name'] }, 'input.scope', 'noScope'],
    ['a data-sharing consent with two recipients', sharing, { recipientKind: 'jobcenter' }, 'input.recipientOrganizationId', 'exactlyOneRecipient'],
    ['a data-sharing consent without recipient', sharing, { recipientOrganizationId: null }, 'input.recipientOrganizationId', 'exactlyOneRecipient'],
    ['a recipient that is not a UUID', sharing, { recipientOrganizationId: 'jobcenter' }, 'input.recipientOrganizationId', 'isUuid'],
    ['an unknown kind of recipient', sharing, { recipientOrganizationId: null, recipientKind: 'bank' }, 'input.recipientKind', 'isOrganizationKind'],
    ['a data-sharing consent without scope', sharing, { scope: null }, 'input.scope', 'notEmpty'],
    ['an empty scope', sharing, { scope: [] }, 'input.scope', 'notEmpty'],
    ['a field outside the shareable vocabulary', sharing, { scope: ['name', 'consultationNotes'] }, 'input.scope', 'isShareableField'],
    ['a language that is not ISO 639', counselling, { explainedIn: 'Arabic' }, 'input.explainedIn', 'isIso639'],
    ['a consent given in the future', counselling, { givenOn: '2999-01-01' }, 'input.givenOn', 'notInFuture'],
    ['a validity ending before the consent was given', sharing, { givenOn: '2026-01-15', validUntil: '2026-01-14' }, 'input.validUntil', 'endAfterStart'],
    ['a blank purpose', counselling, { purposes: ['Beratung', '  '] }, 'input.purposes', 'notBlank'],
    ['a blank text version', counselling, { textVersion: ' ' }, 'input.textVersion', 'notBlank'],
    ['a case id that is not a UUID', counselling, { caseId: 'case-1' }, 'input.caseId', 'isUuid'],
  ])('refuses %s, naming the field and rule, and stores nothing', async (_what, make, change, field, rule) => {
    const before = await count('consents');
    const result = await cases.graphql(RECORD, { input: make(theCase, change) }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(await count('consents')).toBe(before);
  });

  it.each([
    ['no purposes', { purposes: [] }, 'purposes', 'arrayNotEmpty'],
    ['a text version that is too long', { textVersion: 'x'.repeat(51) }, 'textVersion', 'isLength'],
  ])('refuses %s (class-validator)', async (_what, change, field, rule) => {
    const result = await cases.graphql(RECORD, { input: counselling(theCase, change) }, token);
    expect(result.errors?.[0].extensions?.violations).toEqual([expect.objectContaining({ field, rule })]);
  });

  it('documents the shareable fields in the schema', async () => {
    const result = await cases.graphql<{ __type: { inputFields: { name: string; description: string }[] } }>(`{ __type(name: "RecordConsentInput") { inputFields { name description } } }`);
    const scope = result.data!.__type.inputFields.find((f) => f.name === 'scope')!;
    for (const field of SHAREABLE_FIELDS) expect(scope.description).toContain(field);
  });

  it('refuses consents for a closed case', async () => {
    const closed = await openCase(token, 'Geschlossen');
    await cases.ownerQuery(`UPDATE cases SET status = 'closed', closed_at = now(), closure_reason = 'moved_away' WHERE id = $1`, [closed]);
    const result = await cases.graphql(RECORD, { input: counselling(closed) }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'caseOpen' });
    expect(await count('consents', 'case_id = $1', [closed])).toBe(0);
  });

  it('does not record consents for another organisation’s case, nor for roles without case access', async () => {
    const before = await count('consents');
    const foreign = await cases.graphql(RECORD, { input: counselling(caseId('offenburg-1')) }, token);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const lead = await cases.graphql(RECORD, { input: counselling(theCase) }, await roleToken(O.offenburg.id, Role.Lead));
    expect(lead.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const partner = await cases.graphql(RECORD, { input: counselling(theCase) }, await demoUserToken('jobcenter-partner'));
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count('consents')).toBe(before);
  });
});

describe('revoking consent', () => {
  let token: string;
  let consent: ConsentView;

  beforeAll(async () => {
    token = await demoUserToken('offenburg-caseworker');
    const theCase = await openCase(token, 'Widerruf');
    consent = await record(token, sharing(theCase));
  });

  it('refuses a stale version with CONFLICT and writes nothing', async () => {
    const before = await consentRow(consent.id);
    const result = await cases.graphql(REVOKE, { input: { id: consent.id, expectedVersion: consent.version + 1 } }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: consent.version + 1, actualVersion: consent.version });
    expect(await consentRow(consent.id)).toEqual(before);
  });

  it('does not reveal or revoke another organisation’s consent', async () => {
    const before = await consentRow(consent.id);
    const result = await cases.graphql(REVOKE, { input: { id: consent.id, expectedVersion: consent.version } }, await demoUserToken('ortenaukreis-caseworker'));
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await consentRow(consent.id)).toEqual(before);
  });

  it('revokes it effective immediately, with a note', async () => {
    const result = await cases.graphql<{ revokeConsent: ConsentView & { revocationNote: string } }>(
      REVOKE,
      { input: { id: consent.id, expectedVersion: consent.version, note: ' by phone ' } },
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.revokeConsent).toMatchObject({ id: consent.id, isValid: false, version: consent.version + 1, revocationNote: 'by phone' });
    expect(Date.now() - Date.parse(result.data!.revokeConsent.revokedAt!)).toBeLessThan(60_000);
  });

  it('cannot revoke a revoked consent again', async () => {
    const before = await consentRow(consent.id);
    const result = await cases.graphql(REVOKE, { input: { id: consent.id, expectedVersion: consent.version + 1 } }, token);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id', rule: 'notRevoked' });
    expect(await consentRow(consent.id)).toEqual(before);
  });

  it('lets exactly one of two concurrent revocations of the same version win', async () => {
    const theCase = await openCase(token, 'Doppelt');
    const fresh = await record(token, counselling(theCase));
    const results = await Promise.all([1, 2].map(() => cases.graphql(REVOKE, { input: { id: fresh.id, expectedVersion: fresh.version } }, token)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    // The loser either ran into the winner's row lock (CONFLICT) or read the consent after the winner committed.
    const loser = results.find((r) => r.errors)!.errors![0].extensions!;
    expect(loser.code === 'CONFLICT' || loser.rule === 'notRevoked').toBe(true);
    expect((await consentRow(fresh.id)).version).toBe(fresh.version + 1);
  });

  it('tells the caller’s organisation about revocations since a moment, and only its own', async () => {
    const REVOCATIONS = `query($since: DateTimeISO!) { consentRevocations(since: $since) { id revokedAt case { id } } }`;
    const own = await cases.graphql<{ consentRevocations: { id: string; revokedAt: string }[] }>(REVOCATIONS, { since: '2026-01-01T00:00:00Z' }, token);
    expect(own.errors).toBeUndefined();
    const ids = own.data!.consentRevocations.map((c) => c.id);
    expect(ids).toContain(consent.id);
    const times = own.data!.consentRevocations.map((c) => c.revokedAt);
    expect([...times].sort()).toEqual(times);
    const later = await cases.graphql<{ consentRevocations: unknown[] }>(REVOCATIONS, { since: new Date(Date.now() + 60_000).toISOString() }, token);
    expect(later.data!.consentRevocations).toEqual([]);
    const other = await cases.graphql<{ consentRevocations: { id: string }[] }>(REVOCATIONS, { since: '2000-01-01T00:00:00Z' }, await demoUserToken('ortenaukreis-caseworker'));
    expect(other.data!.consentRevocations.map((c) => c.id)).not.toContain(consent.id);
    // The seeded revocation (ortenau-2 → migration counselling) is the district's.
    expect(other.data!.consentRevocations.map((c) => c.id)).toContain(seedConsents().find((c) => c.revokedAt)!.id);
    const partner = await cases.graphql(REVOCATIONS, { since: '2000-01-01T00:00:00Z' }, await demoUserToken('vhs-partner'));
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the data-sharing check for referrals', () => {
  let token: string;

  beforeAll(async () => {
    token = await demoUserToken('ortenaukreis-caseworker');
  });

  it('allows the seeded referrals with both consents, with the consent’s scope', async () => {
    const result = await check(token, caseId('ortenau-1'), O.jobcenter.id, 'jobcenter');
    expect(result).toMatchObject({ allowed: true, reason: null, missing: [], consent: { kind: 'DATA_SHARING' } });
    expect(result.scope).toEqual(expect.arrayContaining(['name', 'germanLevel', 'qualifications']));
    expect(Math.abs(Date.now() - Date.parse(result.checkedAt))).toBeLessThan(60_000);
    const referral = DEMO_REFERRALS.find((r) => r.caseId === caseId('ortenau-1') && r.receiverOrganizationId === O.jobcenter.id)!;
    expect(result.consent!.id).toBe(demoId('consent', `sharing:${referral.id}`));
  });

  it('counts a consent for the recipient’s kind only when the kind is given', async () => {
    const offenburg = await demoUserToken('offenburg-caseworker');
    expect(await check(offenburg, caseId('offenburg-1'), O.jobcenter.id, 'JOBCENTER')).toMatchObject({ allowed: true });
    expect(await check(offenburg, caseId('offenburg-1'), O.jobcenter.id)).toMatchObject({ allowed: false, missing: ['DATA_SHARING'], scope: [] });
    expect(await check(offenburg, caseId('offenburg-1'), O.jobcenter.id, 'language_course_provider')).toMatchObject({ allowed: false });
  });

  it('does not allow sharing with a recipient without a data-sharing consent', async () => {
    const result = await check(token, caseId('ortenau-1'), O.immigrationOffice.id, 'immigration_office');
    expect(result).toMatchObject({ allowed: false, consent: null, scope: [], missing: ['DATA_SHARING'] });
    expect(result.reason).toMatch(/no DATA_SHARING consent for this recipient is recorded/);
  });

  it('does not allow sharing without a counselling consent, even with a data-sharing consent', async () => {
    const theCase = caseId('ortenau-3');
    expect(CASES_WITHOUT_COUNSELLING_CONSENT).toContain(theCase);
    const consent = await record(token, sharing(theCase));
    const result = await check(token, theCase, O.jobcenter.id);
    expect(result).toMatchObject({ allowed: false, scope: [], missing: ['COUNSELLING'], consent: { id: consent.id } });
    expect(result.reason).toMatch(/no COUNSELLING consent is recorded/);
  });

  it('does not allow sharing after the data-sharing consent was revoked (checked in the next request)', async () => {
    const theCase = await openCase(token, 'Rueckruf');
    await record(token, counselling(theCase));
    const consent = await record(token, sharing(theCase));
    expect(await check(token, theCase, O.jobcenter.id)).toMatchObject({ allowed: true, scope: ['name', 'phone', 'germanLevel'] });
    const revoked = await cases.graphql(REVOKE, { input: { id: consent.id, expectedVersion: consent.version } }, token);
    expect(revoked.errors).toBeUndefined();
    const after = await check(token, theCase, O.jobcenter.id);
    expect(after).toMatchObject({ allowed: false, consent: null, scope: [], missing: ['DATA_SHARING'] });
    expect(after.reason).toMatch(/revoked/);
  });

  it('does not allow sharing after the counselling consent was revoked', async () => {
    const theCase = await openCase(token, 'Beratungsende');
    const consent = await record(token, counselling(theCase));
    await record(token, sharing(theCase));
    await cases.graphql(REVOKE, { input: { id: consent.id, expectedVersion: consent.version } }, token);
    const result = await check(token, theCase, O.jobcenter.id);
    expect(result).toMatchObject({ allowed: false, missing: ['COUNSELLING'], scope: [] });
    expect(result.reason).toMatch(/COUNSELLING consent was revoked/);
  });

  it('waits for a revocation being written at the moment of the check, and then sees it', async () => {
    const theCase = await openCase(token, 'Gleichzeitig');
    await record(token, counselling(theCase));
    const consent = await record(token, sharing(theCase));
    const writer = await cases.appClient();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'caseworker', true), set_config('app.user_id', 'someone', true)`, [O.ortenaukreis.id]);
      await writer.query(`UPDATE consents SET revoked_at = now(), version = version + 1 WHERE id = $1`, [consent.id]);
      const pending = check(token, theCase, O.jobcenter.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.query('COMMIT');
      expect(await pending).toMatchObject({ allowed: false, missing: ['DATA_SHARING'] });
    } finally {
      await writer.end();
    }
  });

  it('does not count the seeded revoked consent (ortenau-2 → migration counselling)', async () => {
    const result = await check(token, caseId('ortenau-2'), O.mbe.id, 'migration_counselling');
    expect(result).toMatchObject({ allowed: false, missing: ['DATA_SHARING'] });
    expect(result.reason).toMatch(/revoked/);
    expect(await check(token, caseId('ortenau-2'), O.vhs.id)).toMatchObject({ allowed: true });
  });

  it('treats an expired consent as not valid', async () => {
    const offenburg = await demoUserToken('offenburg-caseworker');
    const result = await check(offenburg, caseId('offenburg-2'), O.vhs.id, 'language_course_provider');
    expect(result).toMatchObject({ allowed: false, missing: ['DATA_SHARING'], consent: null });
    expect(result.reason).toMatch(/expired on 2024-11-14/);
    const theCase = await openCase(token, 'Abgelaufen');
    await record(token, counselling(theCase));
    const yesterday = new Date(Date.parse(`${todayInGermany()}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const expired = await record(token, sharing(theCase, { givenOn: '2025-06-01', validUntil: yesterday }));
    expect(expired.isValid).toBe(false);
    const lastDay = await record(token, sharing(theCase, { recipientOrganizationId: O.vhs.id, givenOn: '2025-06-01', validUntil: todayInGermany() }));
    expect(lastDay.isValid).toBe(true);
    expect(await check(token, theCase, O.jobcenter.id)).toMatchObject({ allowed: false, missing: ['DATA_SHARING'] });
    expect(await check(token, theCase, O.vhs.id)).toMatchObject({ allowed: true });
  });

  it('prefers the consent for the organisation over one for its kind', async () => {
    const theCase = await openCase(token, 'Vorrang');
    await record(token, counselling(theCase));
    await record(token, sharing(theCase, { recipientOrganizationId: null, recipientKind: 'jobcenter', scope: ['name'], givenOn: '2026-02-01' }));
    const specific = await record(token, sharing(theCase, { scope: ['name', 'email'], givenOn: '2026-01-20' }));
    const result = await check(token, theCase, O.jobcenter.id, 'jobcenter');
    expect(result).toMatchObject({ allowed: true, consent: { id: specific.id }, scope: ['name', 'email'] });
  });

  it('gives another organisation NOT_FOUND for the case, and refuses partners', async () => {
    const offenburg = await demoUserToken('offenburg-caseworker');
    const foreign = await cases.graphql(CHECK, { caseId: caseId('ortenau-1'), org: O.jobcenter.id }, offenburg);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const partner = await cases.graphql(CHECK, { caseId: caseId('ortenau-1'), org: O.jobcenter.id }, await demoUserToken('jobcenter-partner'));
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const badKind = await cases.graphql(CHECK, { caseId: caseId('ortenau-1'), org: O.jobcenter.id, kind: 'bank' }, token);
    expect(badKind.errors?.[0].extensions).toMatchObject({ field: 'recipientKind', rule: 'isOrganizationKind' });
  });
});

describe('consents in lists and in PostgreSQL', () => {
  it('costs one SELECT of consents for a page of cases, whatever the page size', async () => {
    const token = await demoUserToken('ortenaukreis-lead');
    const selects = async (first: number) => {
      cases.statements.reset();
      const result = await cases.graphql<{ cases: { edges: { node: { consents: unknown[] } }[] } }>(
        `query($first: Int!) { cases(first: $first) { edges { node { id consents { id isValid recipientOrganization { id } } client { id household { id } } } } } }`,
        { first },
        token,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.cases.edges).toHaveLength(first);
      return [cases.statements.selectsFrom('consents').length, cases.statements.statements.length];
    };
    const small = await selects(2);
    expect(small[0]).toBe(1);
    expect(await selects(12)).toEqual(small);
  });

  it('shows the application role only the consents of its own organisation’s visible cases', async () => {
    for (const org of [O.ortenaukreis, O.offenburg, O.diakonie]) {
      const client = await cases.appClient();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'caseworker', true)`, [org.id]);
        const { rows } = await client.query(`SELECT owner_organization_id, case_id FROM consents`);
        await client.query('ROLLBACK');
        expect(rows.length).toBeGreaterThan(0);
        expect(new Set(rows.map((r) => r.owner_organization_id))).toEqual(new Set([org.id]));
        const owners = new Map(seedCases().map((c) => [c.id, c.ownerOrganizationId]));
        for (const row of rows) if (owners.has(row.case_id)) expect(owners.get(row.case_id)).toBe(org.id);
      } finally {
        await client.end();
      }
    }
  });

  it('hides the consents of a case restricted to its assigned managers from other caseworkers', async () => {
    const theCase = caseId('ortenau-1');
    await cases.ownerQuery(`UPDATE cases SET restricted_to_assigned = true WHERE id = $1`, [theCase]);
    try {
      const stranger = await roleToken(O.ortenaukreis.id, Role.Caseworker);
      const result = await cases.graphql(CHECK, { caseId: theCase, org: O.jobcenter.id }, stranger);
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const assigned = await check(await demoUserToken('ortenaukreis-caseworker'), theCase, O.jobcenter.id);
      expect(assigned.allowed).toBe(true);
    } finally {
      await cases.ownerQuery(`UPDATE cases SET restricted_to_assigned = false WHERE id = $1`, [theCase]);
    }
  });
});

describe('seeded consents and households', () => {
  it('has a counselling consent for every seeded case but a few, and a data-sharing consent for every demo referral', async () => {
    const rows = await cases.ownerQuery<{ case_id: string }>(`SELECT DISTINCT case_id FROM consents WHERE kind = 'counselling' AND id = ANY($1)`, [
      seedConsents().map((c) => c.id),
    ]);
    const withCounselling = new Set(rows.map((r) => r.case_id));
    for (const seed of seedCases()) expect(withCounselling.has(seed.id)).toBe(!CASES_WITHOUT_COUNSELLING_CONSENT.includes(seed.id));
    for (const referral of DEMO_REFERRALS) {
      const [row] = await cases.ownerQuery<{ n: number }>(
        `SELECT count(*)::int AS n FROM consents WHERE case_id = $1 AND kind = 'data_sharing' AND (recipient_organization_id = $2 OR recipient_kind IS NOT NULL)`,
        [referral.caseId, referral.receiverOrganizationId],
      );
      expect(row.n).toBeGreaterThan(0);
    }
  });

  it('seeds idempotently: a second run inserts nothing and keeps what users changed', async () => {
    const counts = async () => {
      const result: number[] = [];
      for (const table of ['consents', 'households', 'household_children', 'clients', 'cases', 'integration_plans', 'consultations']) result.push(await count(table));
      return result;
    };
    const child = (await cases.ownerQuery<{ id: string }>(`SELECT id FROM household_children ORDER BY id LIMIT 1`))[0].id;
    await cases.ownerQuery(`UPDATE household_children SET care_status = 'other' WHERE id = $1`, [child]);
    const before = await counts();
    const owner = createDataSource({ url: cases.database.ownerUrl, applicationName: 'seed-again', entities: ENTITIES, migrations: [], poolSize: 1 });
    await owner.initialize();
    try {
      await owner.transaction((manager) => seedDemoData(manager, createLogger('seed-again')));
    } finally {
      await owner.destroy();
    }
    expect(await counts()).toEqual(before);
    expect(await cases.ownerQuery(`SELECT care_status FROM household_children WHERE id = $1`, [child])).toEqual([{ care_status: 'other' }]);
  });
});
