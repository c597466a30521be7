import fs from 'node:fs';
import path from 'node:path';
import { DEMO_ORGANIZATIONS, demoId, GraphQLResponse, OFFENBURG_AGS, organizationIdForAgs, ownerUrl, postGraphQL } from '@integration-graph/common';
import { Kind, parse } from 'graphql';
import { Client } from 'pg';
import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Field-level minimisation (issue 7): partner staff (the Volkshochschule's, demo user vhs-partner) and a municipal
 * app (Offenburg's, offenburg-app) cannot reach a personal field outside their scope by any path of the graph:
 *
 * (a) through the gateway, along every nested path that leads from what they may read to personal data;
 * (b) with `_entities` sent straight to the cases and referrals subgraphs with their valid tokens, for every entity
 *     type those subgraphs resolve, with representations of every seeded record (other organisations' and the
 *     partner's own referrals);
 * (c) without a token and without the gateway's secret, no subgraph answers at all.
 *
 * "No personal value" is checked against the seeded data itself: every client's names, date of birth, phone and
 * e-mail, household names and children's names (read as the owner role) must not occur anywhere in an answer, except
 * in the consented snapshot (clientData) of a referral the partner received — which must then be exactly what the
 * partner's own inbox shows.
 */

let platform: TestPlatform;
const O = DEMO_ORGANIZATIONS;
const OFFENBURG = organizationIdForAgs(OFFENBURG_AGS);
const KEHL = organizationIdForAgs('08317057');
const PERIOD = '2026-T3';

interface Seeded {
  cases: { id: string; clientId: string; owner: string; householdId: string | null }[];
  referrals: { id: string; caseId: string; sender: string; receiver: string; status: string }[];
  /** Every personal value of the seed: names, dates of birth, phone numbers, e-mail addresses. */
  personal: Set<string>;
}
let seeded: Seeded;
let tokens: { partner: string; app: string };
/** The partner's referrals (received, never drafts) and their clientData as its own inbox shows them. */
let inbox: Map<string, unknown>;

async function ownerRows<R>(service: 'cases' | 'referrals', sql: string): Promise<R[]> {
  const client = new Client({ connectionString: ownerUrl(platform.adminUrl, platform.databases[service]) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  platform = await startTestPlatform();
  tokens = { partner: await platform.tokenOf('vhs-partner'), app: await platform.tokenOf('offenburg-app') };
  const cases = await ownerRows<{ id: string; client_id: string; owner: string; household_id: string | null }>(
    'cases',
    `SELECT c.id, c.client_id, c.owner_organization_id AS owner, cl.household_id FROM cases c JOIN clients cl ON cl.id = c.client_id ORDER BY c.id`,
  );
  const values = await ownerRows<{ value: string | null }>(
    'cases',
    `SELECT given_name AS value FROM clients UNION SELECT family_name FROM clients UNION SELECT date_of_birth::text FROM clients
     UNION SELECT phone FROM clients UNION SELECT email FROM clients UNION SELECT name FROM households UNION SELECT given_name FROM household_children`,
  );
  const referrals = await ownerRows<{ id: string; case_id: string; sender: string; receiver: string; status: string }>(
    'referrals',
    `SELECT id, case_id, sender_organization_id AS sender, receiver_organization_id AS receiver, status FROM referrals ORDER BY id`,
  );
  seeded = {
    cases: cases.map((c) => ({ id: c.id, clientId: c.client_id, owner: c.owner, householdId: c.household_id })),
    referrals: referrals.map((r) => ({ id: r.id, caseId: r.case_id, sender: r.sender, receiver: r.receiver, status: r.status })),
    personal: new Set(values.map((v) => v.value).filter((v): v is string => !!v && v.length >= 3)),
  };
  const own = await platform.query<{ incomingReferrals: { edges: { node: { id: string; clientData: unknown } }[] } }>(
    `{ incomingReferrals(first: 100) { edges { node { id clientData } } } }`,
    {},
    tokens.partner,
  );
  if (own.errors) throw new Error(JSON.stringify(own.errors));
  inbox = new Map(own.data!.incomingReferrals.edges.map((edge) => [edge.node.id, edge.node.clientData]));
}, 180_000);
afterAll(() => platform?.stop());

/**
 * Personal values of the seed that occur in an answer (data and error messages alike). A referral's clientData is
 * skipped only where the partner may see it — a referral of its own inbox — and only if it is exactly what the inbox
 * shows; anything else found there counts.
 */
function personalValuesIn(answer: unknown, options: { partnerInbox?: boolean } = {}): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (seeded.personal.has(value)) found.push(value);
      for (const personal of seeded.personal) if (personal.length >= 5 && value !== personal && value.includes(personal)) found.push(`${personal} in "${value}"`);
      return;
    }
    if (Array.isArray(value)) return value.forEach(walk);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(record)) {
        const own = options.partnerInbox && key === 'clientData' && typeof record.id === 'string' && inbox.has(record.id);
        if (own && JSON.stringify(child) === JSON.stringify(inbox.get(record.id as string))) continue;
        walk(child);
      }
    }
  };
  walk(answer);
  return [...new Set(found)];
}

const codesOf = (answer: GraphQLResponse) => [...new Set((answer.errors ?? []).map((e) => String(e.extensions?.code)))];

describe('the seed the test relies on', () => {
  it('has personal data, and referrals the partner received and others it did not', () => {
    expect(seeded.personal.size).toBeGreaterThan(30);
    expect(seeded.referrals.some((r) => r.receiver === O.vhs.id && r.status !== 'draft')).toBe(true);
    expect(seeded.referrals.some((r) => r.receiver !== O.vhs.id)).toBe(true);
    expect(inbox.size).toBeGreaterThan(0);
    // The inbox itself shows consented client data: the check below would catch it if it were not skipped.
    expect(personalValuesIn([...inbox.values()]).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (a) Through the gateway

/** Everything personal a case leads to in the cases subgraph, asked for along the nested paths. */
const CASE_OWN_FIELDS = `id status closureNote eligibilityOverrideReason extensionReason
  client { id givenName familyName dateOfBirth phone email household { name members { givenName } children { givenName } } cases { id } }
  consents { id scope purposes } plan { strengths workExperience goals { description } }
  consultations(first: 20) { edges { node { id } } }`;
/** The referral's own fields (referrals subgraph). */
const REFERRAL_OWN_FIELDS = `id status reason reasonText clientData clientDataScope history { actorUserId comment details }`;
/** Through the gateway: a case with its referrals, a referral with its case and everything around it. */
const CASE_FIELDS = `${CASE_OWN_FIELDS} referrals { ${REFERRAL_OWN_FIELDS} }`;
const REFERRAL_FIELDS = `${REFERRAL_OWN_FIELDS} case { ${CASE_FIELDS} }
  offering { id waitlistLength organization { id incomingReferralCount } } partner { id incomingReferralCount } sender { id name }`;

describe('(a) partner staff through the gateway', () => {
  type Seen = { id: string; case: unknown; partner: { id: string } };

  it('get their inbox with the consented snapshot, but never the case behind a referral, whatever they nest under it', async () => {
    const incoming = await platform.query<{ incomingReferrals: { edges: { node: Seen }[] } }>(
      `{ incomingReferrals(first: 100) { totalCount edges { node { ${REFERRAL_FIELDS} } } } }`,
      {},
      tokens.partner,
    );
    const listed = await platform.query<{ referrals: Seen[] }>(`{ referrals(limit: 500) { ${REFERRAL_FIELDS} } }`, {}, tokens.partner);
    for (const [answer, referrals] of [
      [incoming, incoming.data?.incomingReferrals.edges.map((e) => e.node)],
      [listed, listed.data?.referrals],
    ] as const) {
      expect(answer.errors).toBeUndefined();
      expect(referrals!.map((r) => r.id).sort()).toEqual([...inbox.keys()].sort());
      expect(referrals!.every((r) => r.case === null && r.partner.id === O.vhs.id)).toBe(true);
      expect(personalValuesIn(answer, { partnerInbox: true })).toEqual([]);
    }
  });

  it('get null for a referral of another organisation, and the case of their own one stays null', async () => {
    const foreign = seeded.referrals.filter((r) => r.receiver !== O.vhs.id);
    const own = seeded.referrals.filter((r) => inbox.has(r.id));
    for (const referral of [...foreign, ...own]) {
      const answer = await platform.query<{ referral: { case: unknown; clientData: unknown } | null }>(
        `query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`,
        { id: referral.id },
        tokens.partner,
      );
      expect(answer.errors).toBeUndefined();
      if (inbox.has(referral.id)) expect(answer.data!.referral).toMatchObject({ case: null, clientData: inbox.get(referral.id) });
      else expect(answer.data!.referral).toBeNull();
      expect(personalValuesIn(answer, { partnerInbox: true })).toEqual([]);
    }
  });

  it('are refused the case, client and household behind their own referrals (FORBIDDEN, no data)', async () => {
    const behind = seeded.cases.filter((c) => seeded.referrals.some((r) => inbox.has(r.id) && r.caseId === c.id));
    expect(behind.length).toBeGreaterThan(0);
    for (const theCase of behind) {
      for (const [query, variables] of [
        [`query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`, { id: theCase.id }],
        [`query($id: ID!) { client(id: $id) { id givenName familyName dateOfBirth cases { id } } }`, { id: theCase.clientId }],
        [`query($id: ID!) { household(id: $id) { name members { givenName familyName } } }`, { id: theCase.householdId ?? theCase.id }],
        [`query($c: ID!, $to: ID!) { referralSnapshot(caseId: $c, recipientOrganizationId: $to) { data } }`, { c: theCase.id, to: O.vhs.id }],
      ] as const) {
        const answer = await platform.query<Record<string, unknown>>(query, variables, tokens.partner);
        expect({ query, codes: codesOf(answer) }).toEqual({ query, codes: ['FORBIDDEN'] });
        expect(Object.values(answer.data ?? {}).every((value) => value === null)).toBe(true);
        expect(personalValuesIn(answer)).toEqual([]);
      }
    }
  });

  it('see no case behind a referral they move along either (a mutation’s answer takes the same paths)', async () => {
    const sent = seeded.referrals.find((r) => inbox.has(r.id) && r.status === 'sent')!;
    const { data } = await platform.query<{ referral: { version: number } }>(`query($id: ID!) { referral(id: $id) { version } }`, { id: sent.id }, tokens.partner);
    const answer = await platform.query<{ openReferral: { status: string; case: unknown } }>(
      `mutation($id: ID!, $v: Int!) { openReferral(input: { id: $id, expectedVersion: $v }) { ${REFERRAL_FIELDS} } }`,
      { id: sent.id, v: data!.referral.version },
      tokens.partner,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.openReferral).toMatchObject({ status: 'RECEIVED', case: null });
    expect(personalValuesIn(answer, { partnerInbox: true })).toEqual([]);
  });

  it('find nothing personal behind organisations and offerings (only their own counts)', async () => {
    const answer = await platform.query<{ organizations: { edges: { node: { id: string; incomingReferralCount: number | null } }[] } }>(
      `{ organizations(first: 100) { edges { node { id incomingReferralCount contactPoints { value } lastVerifiedBy
          serviceArea { name accommodationSites { name } } } } }
         offerings(first: 100) { edges { node { id waitlistLength organization { id incomingReferralCount } } } } }`,
      {},
      tokens.partner,
    );
    expect(answer.errors).toBeUndefined();
    const counted = answer.data!.organizations.edges.filter((e) => e.node.incomingReferralCount !== null).map((e) => e.node.id);
    expect(counted.every((id) => id === O.vhs.id)).toBe(true);
    expect(personalValuesIn(answer)).toEqual([]);
  });
});

describe('(a) the municipal app through the gateway', () => {
  /**
   * Every root field that leads to personal data (or internal figures), with everything personal nested under it,
   * aimed at its own municipality's records where there are any: Offenburg provides integration management itself,
   * so its app's organisation owns cases, clients and referrals. `id` picks the record.
   */
  type Own = { caseId: string; clientId: string; householdId: string; referralId: string };
  const PERSONAL_ROOTS: [string, (own: Own) => string][] = [
    [`query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`, (own) => own.caseId],
    [`{ cases(first: 100) { edges { node { ${CASE_FIELDS} } } } }`, (own) => own.caseId],
    [`{ myCaseload(first: 100) { edges { node { ${CASE_FIELDS} } } } }`, (own) => own.caseId],
    [`query($id: ID!) { client(id: $id) { givenName familyName dateOfBirth cases { ${CASE_FIELDS} } } }`, (own) => own.clientId],
    [`{ clients(first: 100) { edges { node { givenName familyName dateOfBirth phone email } } } }`, (own) => own.clientId],
    [`{ possibleDuplicates(givenName: "Amina", familyName: "Haddad") { givenName familyName } }`, (own) => own.clientId],
    [`query($id: ID!) { household(id: $id) { name members { givenName } children { givenName } } }`, (own) => own.householdId],
    [`{ consentRevocations(since: "2000-01-01T00:00:00Z") { id scope } }`, (own) => own.caseId],
    [`query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`, (own) => own.caseId],
    [`query($id: ID!) { referralSnapshot(caseId: $id, recipientOrganizationId: $id) { data } }`, (own) => own.caseId],
    [`query($id: ID!) { dataSharingConsent(caseId: $id, recipientOrganizationId: $id) { allowed scope } }`, (own) => own.caseId],
    [`query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, (own) => own.referralId],
    [`{ referrals(limit: 500) { ${REFERRAL_FIELDS} } }`, (own) => own.referralId],
    [`{ incomingReferrals(first: 100) { edges { node { ${REFERRAL_FIELDS} } } } }`, (own) => own.referralId],
    [`{ outgoingReferrals(first: 100) { edges { node { ${REFERRAL_FIELDS} } } } }`, (own) => own.referralId],
    [`{ myWebhooks { id url } }`, (own) => own.caseId],
    [`query($id: ID!) { municipality(id: $id) { name accommodationSites { name street } fundingAllocations { amountEur } organization { staffing { fullTimeEquivalents } } } }`, () => OFFENBURG],
    [`query($id: ID!) { staffingOverview(districtId: $id) { fullTimeEquivalents } }`, () => O.ortenaukreis.id],
  ];

  /** The root field a query asks for, to name the test. */
  const rootOf = (query: string) => /\{\s*(\w+)/.exec(query)![1];

  it.each(PERSONAL_ROOTS.map(([query, pick]) => [rootOf(query), query, pick] as const))('is refused %s with everything nested under it (FORBIDDEN, no personal value)', async (_root, query, pick) => {
    const ownCase = seeded.cases.find((c) => c.owner === OFFENBURG && c.householdId) ?? seeded.cases.find((c) => c.owner === OFFENBURG)!;
    const own: Own = {
      caseId: ownCase.id,
      clientId: ownCase.clientId,
      householdId: ownCase.householdId ?? ownCase.id,
      referralId: seeded.referrals.find((r) => r.sender === OFFENBURG)!.id,
    };
    const id = pick(own);
    const answer = await platform.query<Record<string, unknown>>(query, { id, ids: [id] }, tokens.app);
    expect(codesOf(answer)).toEqual(['FORBIDDEN']);
    expect(personalValuesIn(answer)).toEqual([]);
    const data = JSON.stringify(answer.data ?? null);
    for (const key of ['givenName', 'familyName', 'clientData', 'street', 'amountEur', 'fullTimeEquivalents']) {
      expect(data).not.toMatch(new RegExp(`"${key}":"`));
    }
  });

  it('reads the directory, its district’s cooperation and its comparison without a personal value', async () => {
    const answer = await platform.query<{ districtComparison: { municipalities: { municipality: { name: string } }[] } }>(
      `query($d: ID!, $p: String!) {
        organizations(first: 100) { edges { node { id name contactPoints { value visibility } lastVerifiedBy incomingReferralCount } } }
        offerings(first: 100) { edges { node { id waitlistLength } } }
        cooperationMeetings(districtId: $d, first: 20) { edges { node { title minutes decisions participants { name } standardsAdopted { title } } } }
        districtComparison(districtId: $d, period: $p) {
          municipalities { municipality { name } provider { name } caseMetrics { metric value } caseBreakdowns { key count } referralMetrics { metric value } referralBreakdowns { key count } standardResults { metric met } }
          providers { provider { name } fullTimeEquivalents caseMetrics { metric value } referralMetrics { metric value } }
          caseDistribution { metric median counted } referralDistribution { metric median counted } } }`,
      { d: O.ortenaukreis.id, p: PERIOD },
      tokens.app,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.districtComparison.municipalities.map((m) => m.municipality.name)).toEqual(['Offenburg']);
    expect(JSON.stringify(answer.data)).not.toContain('"INTERNAL"');
    expect(JSON.stringify(answer.data)).not.toMatch(/"(incomingReferralCount|waitlistLength|lastVerifiedBy|fullTimeEquivalents)":[^n]/);
    expect(personalValuesIn(answer)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (b) _entities straight to the subgraphs

type Service = 'cases' | 'referrals';

/** What each entity type of the cases and referrals subgraphs is asked for, with which representations. */
interface EntityProbe {
  selection: string;
  representations: () => Record<string, unknown>[];
}

const every = <T>(list: T[], make: (item: T) => Record<string, unknown>) => list.map(make);
const ORGANIZATIONS = Object.values(O).map((o) => o.id);
const VHS_COURSES = ['vhs-ik-allgemein-2027-01', 'vhs-ik-abend-2027-02'].map((key) => demoId('offering', key));

const PROBES: Record<Service, Record<string, EntityProbe>> = {
  cases: {
    Case: { selection: CASE_OWN_FIELDS, representations: () => every(seeded.cases, (c) => ({ id: c.id })) },
    Client: {
      selection: `id givenName familyName dateOfBirth phone email household { name children { givenName } } cases { id }`,
      representations: () => every(seeded.cases, (c) => ({ id: c.clientId })),
    },
    MunicipalityStatistics: {
      selection: `municipalityId caseMetrics { metric value } caseBreakdowns { key count }`,
      representations: () => [KEHL, O.ortenaukreis.id].map((municipalityId) => ({ municipalityId, period: PERIOD })),
    },
    ProviderStatistics: {
      selection: `providerId caseMetrics { metric value } caseBreakdowns { key count }`,
      representations: () => [O.ortenaukreis.id, O.diakonie.id].map((providerId) => ({ providerId, period: PERIOD, fullTimeEquivalents: 1 })),
    },
    DistrictStatistics: {
      // A "district" of one foreign municipality would be that municipality's figures.
      selection: `districtId caseDistribution { metric median lowerQuartile upperQuartile counted } caseProviderDistribution { metric median counted }`,
      representations: () => [{ districtId: O.ortenaukreis.id, period: PERIOD, municipalityIds: [KEHL], providerIds: [O.diakonie.id] }],
    },
  },
  referrals: {
    Referral: { selection: `${REFERRAL_OWN_FIELDS} case { id }`, representations: () => every(seeded.referrals, (r) => ({ id: r.id })) },
    Case: { selection: `id referrals { ${REFERRAL_OWN_FIELDS} }`, representations: () => every(seeded.cases, (c) => ({ id: c.id })) },
    Organization: { selection: `id incomingReferralCount`, representations: () => ORGANIZATIONS.map((id) => ({ id })) },
    Offering: { selection: `id waitlistLength`, representations: () => VHS_COURSES.map((id) => ({ id })) },
    MunicipalityStatistics: {
      selection: `municipalityId referralMetrics { metric value } referralBreakdowns { key count }`,
      representations: () => [KEHL, O.ortenaukreis.id].map((municipalityId) => ({ municipalityId, period: PERIOD })),
    },
    ProviderStatistics: {
      selection: `providerId referralMetrics { metric value } referralBreakdowns { key count }`,
      representations: () => [O.ortenaukreis.id, O.diakonie.id].map((providerId) => ({ providerId, period: PERIOD })),
    },
    DistrictStatistics: {
      selection: `districtId referralDistribution { metric median counted } referralProviderDistribution { metric median counted }`,
      representations: () => [{ districtId: O.ortenaukreis.id, period: PERIOD, municipalityIds: [KEHL], providerIds: [O.diakonie.id] }],
    },
  },
};

/**
 * Entity types of these subgraphs that this test does not probe, each with the reason. A new entity type fails the
 * completeness check below until it is probed here or named with a reason (deny by default).
 */
const NOT_PROBED: Record<Service, Record<string, string>> = {
  cases: { AuditTrail: 'the audit trail (issue 7, audit part): its own rules and test (test/audit-trail.test.ts)' },
  referrals: { AuditTrail: 'the audit trail (issue 7, audit part): its own rules and test (test/audit-trail.test.ts)' },
};

/** The resolvable entity types (@key without resolvable: false) in a subgraph's checked-in schema. */
function resolvableEntities(service: Service): string[] {
  const document = parse(fs.readFileSync(path.join(__dirname, '..', 'services', service, 'schema.graphql'), 'utf8'));
  return document.definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) return [];
    const keys = (definition.directives ?? []).filter((d) => d.name.value === 'key');
    const resolvable = keys.some((key) => !key.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value));
    return resolvable ? [definition.name.value] : [];
  });
}

/** _entities with a valid token straight at the subgraph (no gateway secret), with the probe's or the given selection. */
async function entities(service: Service, typename: string, token: string, representations: Record<string, unknown>[], selection = PROBES[service][typename].selection) {
  return postGraphQL<{ _entities: (Record<string, unknown> | null)[] }>(
    platform.subgraphUrls[service],
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
    { r: representations.map((representation) => ({ __typename: typename, ...representation })) },
    token,
    {},
    { gatewaySecret: null },
  );
}

describe('(b) _entities sent straight to the subgraphs', () => {
  it.each(['cases', 'referrals'] as Service[])('probes every entity type the %s subgraph resolves', (service) => {
    const types = resolvableEntities(service);
    expect(types.length).toBeGreaterThan(0);
    const unprobed = types.filter((type) => !(type in PROBES[service]) && !(type in NOT_PROBED[service]));
    expect(unprobed).toEqual([]);
  });

  const CELLS = (['cases', 'referrals'] as Service[]).flatMap((service) =>
    Object.keys(PROBES[service]).flatMap((typename) => (['partner', 'app'] as const).map((who) => [service, typename, who] as const)),
  );

  it.each(CELLS)('%s: %s as the %s gives no personal value', async (service, typename, who) => {
    const representations = PROBES[service][typename].representations();
    if (!representations.length) return;
    const answer = await entities(service, typename, tokens[who], representations);
    expect(answer.status).toBe(200);
    expect(personalValuesIn(answer, { partnerInbox: who === 'partner' })).toEqual([]);
    const results = answer.data?._entities ?? [];
    const codes = codesOf(answer);
    switch (`${service}.${typename}`) {
      case 'cases.Case':
      case 'cases.Client':
        // Not case staff: nothing is even loaded.
        expect(codes).toEqual([]);
        expect(results).toEqual(representations.map(() => null));
        break;
      case 'referrals.Referral':
        expect(codes).toEqual([]);
        results.forEach((result, i) => {
          const id = representations[i].id as string;
          if (who === 'partner' && inbox.has(id)) expect(result).toMatchObject({ id, case: null, clientData: inbox.get(id) });
          else expect(result).toBeNull();
        });
        break;
      case 'referrals.Case':
        // The referrals of a case are for the case's staff: partners never see the case a referral belongs to.
        expect(codes).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(answer.data ?? null)).not.toContain('"referrals":[{');
        break;
      case 'referrals.Organization':
        // A count, not personal data, and only for the organisation's own partner staff.
        expect(codes).toEqual([]);
        for (const result of results) expect(result!.incomingReferralCount !== null).toBe(who === 'partner' && result!.id === O.vhs.id);
        break;
      case 'referrals.Offering':
        expect(codes).toEqual([]);
        for (const result of results) expect(result!.waitlistLength !== null).toBe(who === 'partner');
        break;
      default:
        // Statistics: partners get none; the app none of another municipality or provider, and no distribution over
        // a list of municipalities (or providers) of its choosing.
        expect(codes).toEqual(['FORBIDDEN']);
        expect(JSON.stringify(answer.data ?? null)).not.toMatch(/"(value|count|median)":\d/);
    }
  });

  it('gives the app its own municipality’s figures, and the district’s distribution over the genuine lists only', async () => {
    const { municipalityIds, providerIds } = (
      await platform.query<{ districtComparison: { municipalityIds: string[]; providerIds: string[] } }>(
        `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) { municipalityIds providerIds } }`,
        { d: O.ortenaukreis.id, p: PERIOD },
        tokens.app,
      )
    ).data!.districtComparison;
    expect(municipalityIds).toHaveLength(51);
    for (const service of ['cases', 'referrals'] as Service[]) {
      const own = await entities(service, 'MunicipalityStatistics', tokens.app, [{ municipalityId: OFFENBURG, period: PERIOD }]);
      expect(own.errors).toBeUndefined();
      expect(own.data!._entities[0]).toMatchObject({ municipalityId: OFFENBURG });
      const district = (ids: { municipalityIds: string[]; providerIds: string[] }) => [{ districtId: O.ortenaukreis.id, period: PERIOD, ...ids }];
      const [byMunicipality, byProvider] = service === 'cases' ? ['caseDistribution', 'caseProviderDistribution'] : ['referralDistribution', 'referralProviderDistribution'];
      // The genuine lists (in any order): the distribution is computed.
      const genuine = await entities(service, 'DistrictStatistics', tokens.app, district({ municipalityIds: [...municipalityIds].reverse(), providerIds }), `${byMunicipality} { metric counted } ${byProvider} { metric counted }`);
      expect(genuine.errors).toBeUndefined();
      expect((genuine.data!._entities[0]![byMunicipality] as unknown[]).length).toBeGreaterThan(0);
      // A list of the app's choosing (one municipality left out, or a provider list of one): FORBIDDEN, no figures.
      for (const [field, ids] of [
        [byMunicipality, { municipalityIds: municipalityIds.filter((id) => id !== KEHL), providerIds }],
        [byProvider, { municipalityIds, providerIds: providerIds.slice(0, 1) }],
      ] as const) {
        const forged = await entities(service, 'DistrictStatistics', tokens.app, district(ids), `${field} { metric median counted }`);
        expect({ field, codes: codesOf(forged) }).toEqual({ field, codes: ['FORBIDDEN'] });
        expect(JSON.stringify(forged.data ?? null)).not.toMatch(/"median":\d/);
      }
    }
  });

  it('does not hand out types that are not entities (households, consents, plans, consultations)', async () => {
    const own = seeded.cases.find((c) => c.householdId)!;
    for (const typename of ['Household', 'Consent', 'IntegrationPlan', 'Consultation']) {
      const answer = await postGraphQL(
        platform.subgraphUrls.cases,
        `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
        { r: [{ __typename: typename, id: own.householdId }] },
        tokens.partner,
        {},
        { gatewaySecret: null },
      );
      expect(answer.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer.data ?? null)).not.toContain(typename);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (c) Neither a token nor the gateway's secret

const SERVICES = ['partners', 'cases', 'referrals'] as const;
const ORDINARY: Record<(typeof SERVICES)[number], string> = {
  partners: `{ organizations(first: 1) { totalCount } }`,
  cases: `{ cases(first: 1) { totalCount } }`,
  referrals: `{ referrals { id } }`,
};

describe('(c) the subgraphs without a token and without the gateway’s secret', () => {
  const requests = SERVICES.flatMap((service) =>
    [
      ['_entities', `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, { r: [{ __typename: 'Organization', id: O.vhs.id }] }],
      ['_service', `{ _service { sdl } }`, {}],
      ['an ordinary query', ORDINARY[service], {}],
    ].map(([what, query, variables]) => [service, what as string, query as string, variables as Record<string, unknown>] as const),
  );

  it.each(requests)('%s refuses %s with UNAUTHENTICATED (HTTP 401) and no data', async (service, _what, query, variables) => {
    for (const gatewaySecret of [null, 'not-the-secret-0123456789abcdef0123456789']) {
      const answer = await postGraphQL(platform.subgraphUrls[service], query, variables, undefined, {}, { gatewaySecret });
      expect(answer.status).toBe(401);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(answer.errors?.[0].message).toMatch(gatewaySecret ? /x-gateway-secret/ : /valid token/);
    }
  });

  it.each(SERVICES)('%s answers the gateway (its secret) and a caller with a valid token, and keeps /health and /ready open', async (service) => {
    const url = platform.subgraphUrls[service];
    const asGateway = await postGraphQL<{ _service: { sdl: string } }>(url, `{ _service { sdl } }`, {}, undefined, {}, { gatewaySecret: platform.gatewaySecret });
    expect(asGateway.status).toBe(200);
    expect(asGateway.data!._service.sdl.length).toBeGreaterThan(0);
    const withToken = await postGraphQL(url, `{ _service { sdl } }`, {}, tokens.partner, {}, { gatewaySecret: null });
    expect(withToken.status).toBe(200);
    for (const check of ['health', 'ready']) {
      expect((await fetch(url.replace(/\/graphql$/, `/${check}`))).status).toBe(200);
    }
  });
});
