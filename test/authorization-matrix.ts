import {
  DEMO_CASES,
  DEMO_ORGANIZATIONS,
  demoClientName,
  demoId,
  OFFENBURG_AGS,
  organizationIdForAgs,
} from '@integration-graph/common';

/**
 * The authorization matrix (issue 7, docs/security.md): for every root field of Query and Mutation in
 * gateway/supergraph.graphql, what each role gets, and one sample operation that shows it against the seeded demo
 * data. test/authorization.test.ts checks that every field has an entry (a new operation without a rule fails: deny
 * by default) and runs every sample as every role through the gateway.
 *
 * - `allowed`: no UNAUTHENTICATED or FORBIDDEN error. Mutations are built to stop right after the role check (a
 *   stale `expectedVersion`, an input that breaks a rule, a record that is not there), so an allowed mutation
 *   answers with BAD_USER_INPUT, NOT_FOUND or CONFLICT and changes nothing, or succeeds harmlessly.
 * - `denied`: UNAUTHENTICATED for the public caller, FORBIDDEN for everyone else, and no data.
 * - `filtered`: answers without an authorization error, but with nothing of other organisations (`filtered` says
 *   what that means for the field: a foreign record is null, a list holds own records only, a foreign record to
 *   change is NOT_FOUND).
 */

export type Outcome = 'allowed' | 'denied' | 'filtered';

/** The columns of the matrix. */
export const ROLES = ['public', 'caseworker', 'lead', 'partner', 'coordinator', 'auditor', 'org_admin', 'municipal_app'] as const;
export type RoleKey = (typeof ROLES)[number];

/** Who runs each column: no token for the public caller, otherwise the seeded demo user (DEMO_USERS handle). */
export const CALLERS: Record<RoleKey, string | null> = {
  public: null,
  caseworker: 'ortenaukreis-caseworker',
  lead: 'ortenaukreis-lead',
  partner: 'vhs-partner',
  coordinator: 'ortenaukreis-coordinator',
  auditor: 'ortenaukreis-auditor',
  org_admin: 'vhs-admin',
  // Offenburg's Bürger-App: its organisation is the municipality of Offenburg, in the Ortenaukreis.
  municipal_app: 'offenburg-app',
};

/** Seeded records whose ids are not derived from DEMO_* (read as the owner role before the run). */
export interface Fixtures {
  /** The client of each seeded case. */
  clientOfCase: Record<string, string>;
  /** The owning organisation of every client, consent and household. */
  ownerOf: Record<string, string>;
  /** An Ortenaukreis case with a plan, a goal and a measure. */
  plan: { caseId: string; planId: string; goalId: string; measureId: string };
}

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface FilterContext {
  field: string;
  answer: GraphQLAnswer;
  /** The caller's organisation and roles; null and none for the public caller. */
  caller: { organizationId: string | null; roles: string[] };
  role: RoleKey;
  fixtures: Fixtures;
}

/** true when the answer holds nothing of other organisations; otherwise what it holds. */
export type FilterCheck = (context: FilterContext) => true | string;

export interface MatrixEntry {
  document: string;
  variables?: (fixtures: Fixtures) => Record<string, unknown>;
  rules: Record<RoleKey, Outcome>;
  /** Required when a rule says `filtered`. */
  filtered?: FilterCheck;
}

const A: Outcome = 'allowed';
const D: Outcome = 'denied';
const F: Outcome = 'filtered';

const O = DEMO_ORGANIZATIONS;
const OFFENBURG = organizationIdForAgs(OFFENBURG_AGS);
const caseOf = (key: string) => demoId('case', key);
const referralOf = (key: string) => demoId('referral', key);

/** A version no seeded record has: an allowed change stops with CONFLICT after the role check. */
const STALE = 999;
/** An id nothing has. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** Own records the mutations aim at: the Ortenaukreis's (the caseworker's and lead's organisation) ... */
const OWN_CASE = caseOf('ortenau-1');
const OWN_CASE_WITHOUT_CONSENT = caseOf('ortenau-3');
const OWN_HOUSEHOLD = demoId('household', 'ortenau-1');
/** ... and the Volkshochschule's (the partner's and org_admin's). */
const VHS_COURSE = demoId('offering', 'vhs-ik-allgemein-2027-01');
const VHS_EVENING_COURSE = demoId('offering', 'vhs-ik-abend-2027-02');
const VHS_LOCATION = demoId('location', 'vhs-offenburg');
/** A referral of the Ortenaukreis (sender) to the Volkshochschule (receiver), status SENT. */
const SENT_TO_VHS = referralOf('ortenau-2-vhs');
/** Records of other organisations (Offenburg sends to the Jobcenter): neither side is a column of the matrix. */
const FOREIGN_CASE = caseOf('offenburg-1');
const FOREIGN_CLIENT_NAME = demoClientName(DEMO_CASES.findIndex((c) => c.id === FOREIGN_CASE));
const FOREIGN_REFERRAL = referralOf('offenburg-1-jobcenter');
/** Offenburg's client consented to sharing with every organisation of the kind "jobcenter" (seed). */
const FOREIGN_KIND_CONSENT = demoId('consent', `sharing:${FOREIGN_REFERRAL}`);

// ---------------------------------------------------------------------------------------------------------------
// Common rows

const EVERYONE: Record<RoleKey, Outcome> = { public: A, caseworker: A, lead: A, partner: A, coordinator: A, auditor: A, org_admin: A, municipal_app: A };
/**
 * The cooperation meetings and standards of the Ortenaukreis: everyone in the cooperation, and Offenburg's app (its
 * own district; another district's is FORBIDDEN for it, see test/field-minimisation.test.ts).
 */
const AUTHENTICATED: Record<RoleKey, Outcome> = { ...EVERYONE, public: D };
const NOBODY: Record<RoleKey, Outcome> = {
  public: D, caseworker: D, lead: D, partner: D, coordinator: D, auditor: D, org_admin: D, municipal_app: D,
};
/** Counselling data: the owning organisation's caseworkers and leads. */
const CASE_STAFF: Record<RoleKey, Outcome> = { ...NOBODY, caseworker: A, lead: A };
/** Case staff, who see their own organisation's records only. */
const CASE_STAFF_FILTERED: Record<RoleKey, Outcome> = { ...NOBODY, caseworker: F, lead: F };
const LEADS: Record<RoleKey, Outcome> = { ...NOBODY, lead: A };
const COORDINATORS: Record<RoleKey, Outcome> = { ...NOBODY, coordinator: A };
/**
 * Figures of the cooperation (aggregates only): everyone who works in it except partners and auditors; a municipal
 * app its own municipality's row and the district's distribution (filtered).
 */
const STATISTICS: Record<RoleKey, Outcome> = { ...NOBODY, caseworker: A, lead: A, coordinator: A, org_admin: A, municipal_app: F };
/** The state's comparison: the cooperation's members as above; a municipal app reads its own district only (FORBIDDEN). */
const STATE_STATISTICS: Record<RoleKey, Outcome> = { ...STATISTICS, municipal_app: D };
/** Directory entries of the Volkshochschule: its org_admin, and coordinators; the Ortenaukreis's lead is foreign. */
const VHS_EDITORS: Record<RoleKey, Outcome> = { ...NOBODY, coordinator: A, org_admin: A };
/** Webhooks of one's own organisation. */
const WEBHOOK_ADMINS: Record<RoleKey, Outcome> = { ...NOBODY, lead: A, org_admin: A };
/**
 * Steps of the receiving partner on a referral sent by the Ortenaukreis to the VHS: the VHS's partner staff; the
 * sender's case staff are on the wrong side (FORBIDDEN); anyone else does not see the referral at all (row-level
 * security, NOT_FOUND) — the steps check the side of the loaded referral, not the role beforehand.
 */
const RECEIVER_STEP: Record<RoleKey, Outcome> = { ...NOBODY, partner: A, coordinator: F, auditor: F, org_admin: F };
/** Steps of the sender on the same referral. */
const SENDER_STEP: Record<RoleKey, Outcome> = { ...NOBODY, caseworker: A, lead: A, coordinator: F, auditor: F, org_admin: F };

// ---------------------------------------------------------------------------------------------------------------
// Filters

/** An answer for a failure message: data, and each error's message, path and code (no stack traces). */
export function brief(answer: GraphQLAnswer): string {
  const errors = answer.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code }));
  return JSON.stringify(errors ? { data: answer.data, errors } : { data: answer.data });
}
const show = (value: unknown) => JSON.stringify(value);
const codesOf = (answer: GraphQLAnswer) => (answer.errors ?? []).map((e) => String(e.extensions?.code));

/** The record belongs to another organisation: the field answers null, without an error. */
const isNull: FilterCheck = ({ answer, field }) =>
  answer.data?.[field] === null && !answer.errors?.length ? true : `expected ${field}: null without errors, got ${brief(answer)}`;

/** The record to read or change belongs to another organisation: NOT_FOUND, as if it did not exist. */
const notFound: FilterCheck = ({ answer, field }) =>
  show(codesOf(answer)) === show(['NOT_FOUND']) && answer.data?.[field] == null ? true : `expected NOT_FOUND, got ${brief(answer)}`;

type Row = Record<string, unknown>;
const nodes = (connection: unknown): Row[] => ((connection as { edges?: { node: Row }[] } | null)?.edges ?? []).map((edge) => edge.node);
const organizationOf = (value: unknown) => (value as { id?: string } | null)?.id;

/** Every item of the list belongs to the caller's organisation (`ownerOf` names the owner of an item). */
function ownOnly(items: (value: unknown) => Row[], ownerOf: (item: Row, fixtures: Fixtures) => string | undefined, options: { nonEmpty?: boolean } = {}): FilterCheck {
  return ({ answer, field, caller, fixtures }) => {
    if (answer.errors?.length) return `expected an answer without errors, got ${brief(answer)}`;
    const list = items(answer.data?.[field]);
    if (options.nonEmpty && !list.length) return `expected some of the caller's own records in ${field}, got none`;
    const foreign = list.filter((item) => ownerOf(item, fixtures) !== caller.organizationId);
    return foreign.length ? `${foreign.length} record(s) of other organisations: ${show(foreign)}` : true;
  };
}

/** Referrals the caller's organisation sent (case staff) or received (partner staff, never drafts), nothing else. */
function ownReferrals(items: (value: unknown) => Row[], options: { nonEmpty?: boolean } = {}): FilterCheck {
  return ({ answer, field, caller }) => {
    if (answer.errors?.length) return `expected an answer without errors, got ${brief(answer)}`;
    const list = items(answer.data?.[field]);
    if (options.nonEmpty && !list.length) return `expected some of the caller's own referrals in ${field}, got none`;
    const isPartner = caller.roles.includes('partner');
    const foreign = list.filter((referral) => {
      const side = isPartner ? organizationOf(referral.partner) : organizationOf(referral.sender);
      return side !== caller.organizationId || (isPartner && referral.status === 'DRAFT');
    });
    return foreign.length ? `${foreign.length} referral(s) not sent or received by the caller's organisation (or drafts for a partner): ${show(foreign)}` : true;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Query

export const QUERY_MATRIX: Record<string, MatrixEntry> = {
  case: {
    document: `query($id: ID!) { case(id: $id) { id ownerOrganization { id } client { familyName } } }`,
    variables: () => ({ id: FOREIGN_CASE }),
    rules: CASE_STAFF_FILTERED,
    filtered: isNull,
  },
  cases: {
    document: `{ cases(first: 100) { totalCount edges { node { id ownerOrganization { id } } } } }`,
    rules: CASE_STAFF_FILTERED,
    filtered: ownOnly(nodes, (node) => organizationOf(node.ownerOrganization), { nonEmpty: true }),
  },
  myCaseload: {
    document: `{ myCaseload(first: 100) { totalCount edges { node { id ownerOrganization { id } } } } }`,
    rules: CASE_STAFF_FILTERED,
    filtered: ownOnly(nodes, (node) => organizationOf(node.ownerOrganization)),
  },
  client: {
    document: `query($id: ID!) { client(id: $id) { id givenName familyName } }`,
    variables: (f) => ({ id: f.clientOfCase[FOREIGN_CASE] }),
    rules: CASE_STAFF_FILTERED,
    filtered: isNull,
  },
  clients: {
    document: `{ clients(first: 100) { totalCount edges { node { id } } } }`,
    rules: CASE_STAFF_FILTERED,
    filtered: ownOnly(nodes, (node, f) => f.ownerOf[node.id as string], { nonEmpty: true }),
  },
  possibleDuplicates: {
    document: `query($given: String!, $family: String!) { possibleDuplicates(givenName: $given, familyName: $family) { id } }`,
    variables: () => ({ given: FOREIGN_CLIENT_NAME.givenName, family: FOREIGN_CLIENT_NAME.familyName }),
    rules: CASE_STAFF_FILTERED,
    filtered: ownOnly((list) => (list as Row[] | null) ?? [], (client, f) => f.ownerOf[client.id as string]),
  },
  referralSnapshot: {
    document: `query($case: ID!, $to: ID!) { referralSnapshot(caseId: $case, recipientOrganizationId: $to, recipientKind: "jobcenter") { allowed scope data } }`,
    variables: () => ({ case: FOREIGN_CASE, to: O.jobcenter.id }),
    rules: CASE_STAFF_FILTERED,
    filtered: notFound,
  },
  restrictedClients: {
    // No seeded client is restricted: leads and auditors get their organisation's (none), never another's.
    document: `{ restrictedClients { id processingRestrictedSince processingRestrictionReason } }`,
    rules: { ...NOBODY, lead: F, auditor: F },
    filtered: ownOnly((list) => (list as Row[] | null) ?? [], (client, f) => f.ownerOf[client.id as string]),
  },
  auditTrail: {
    // The trail of one of the Ortenaukreis's clients: its auditor and its leads (data subject's access request) read
    // it; nobody else. Row-level security narrows what each sees to their organisation's staff and data.
    document: `query($client: ID!) { auditTrail(clientId: $client) { id caseIds cases(first: 1) { totalCount } referrals(first: 1) { totalCount } } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: { ...NOBODY, lead: A, auditor: A },
  },
  consentsStillValid: {
    // Offenburg's client consented to sharing with Jobcenters; no column of the matrix is one (the VHS is a
    // language-course provider, the Ortenaukreis a district), so the only answer that reveals nothing is false. The
    // kind is the caller's own organisation's, looked up by the cases subgraph; nobody can claim another.
    document: `query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`,
    variables: () => ({ ids: [FOREIGN_KIND_CONSENT] }),
    rules: {
      ...NOBODY,
      caseworker: F,
      lead: F,
      partner: F,
    },
    filtered: ({ answer }) =>
      show(answer.data?.consentsStillValid) === show([false]) && !answer.errors?.length
        ? true
        : `a consent not given to the caller's organisation must read as [false], got ${brief(answer)}`,
  },
  dataSharingConsent: {
    document: `query($case: ID!, $to: ID!) { dataSharingConsent(caseId: $case, recipientOrganizationId: $to, recipientKind: "jobcenter") { allowed scope } }`,
    variables: () => ({ case: FOREIGN_CASE, to: O.jobcenter.id }),
    rules: CASE_STAFF_FILTERED,
    filtered: notFound,
  },
  consentRevocations: {
    document: `{ consentRevocations(since: "2000-01-01T00:00:00Z", limit: 500) { id kind revokedAt } }`,
    rules: CASE_STAFF_FILTERED,
    filtered: ownOnly((list) => (list as Row[] | null) ?? [], (consent, f) => f.ownerOf[consent.id as string], { nonEmpty: true }),
  },
  household: {
    document: `query($id: ID!) { household(id: $id) { id name members { id } } }`,
    variables: () => ({ id: demoId('household', 'offenburg-1') }),
    rules: CASE_STAFF_FILTERED,
    filtered: isNull,
  },
  districtComparison: {
    document: `query($district: ID!) { districtComparison(districtId: $district, period: "2026-T2") {
      period municipalities { municipality { name } caseMetrics { metric value suppressed } referralMetrics { metric value suppressed } } } }`,
    variables: () => ({ district: O.ortenaukreis.id }),
    rules: STATISTICS,
    // Offenburg's app: the row of Offenburg and no other municipality's.
    filtered: ({ answer }) => {
      if (answer.errors?.length) return `expected an answer without errors, got ${brief(answer)}`;
      const rows = (answer.data?.districtComparison as { municipalities?: { municipality: { name: string } }[] } | null)?.municipalities ?? [];
      return show(rows.map((row) => row.municipality.name)) === show(['Offenburg']) ? true : `expected the row of Offenburg only, got ${show(rows.map((r) => r.municipality.name))}`;
    },
  },
  stateComparison: {
    document: `{ stateComparison(period: "2026-T2") { period districts { district { name } municipalities { municipality { name } caseMetrics { metric value suppressed } referralMetrics { metric value suppressed } } } } }`,
    rules: STATE_STATISTICS,
  },
  municipality: {
    document: `{ municipality(ags: "${OFFENBURG_AGS}") { id name } }`,
    rules: EVERYONE,
  },
  municipalities: {
    document: `query($district: ID!) { municipalities(districtId: $district, first: 5) { totalCount edges { node { id name } } } }`,
    variables: () => ({ district: O.ortenaukreis.id }),
    rules: EVERYONE,
  },
  offering: {
    document: `query($id: ID!) { offering(id: $id) { id title { text } } }`,
    variables: () => ({ id: VHS_COURSE }),
    rules: EVERYONE,
  },
  offerings: {
    document: `{ offerings(first: 5) { totalCount edges { node { id } } } }`,
    rules: EVERYONE,
  },
  organization: {
    document: `query($id: ID!) { organization(id: $id) { id name } }`,
    variables: () => ({ id: O.vhs.id }),
    rules: EVERYONE,
  },
  organizations: {
    document: `{ organizations(first: 5) { totalCount edges { node { id name } } } }`,
    rules: EVERYONE,
  },
  taxonomy: {
    document: `{ taxonomy(scheme: LIFE_AREA) { id label { text } } }`,
    rules: EVERYONE,
  },
  staffingOverview: {
    document: `query($district: ID!) { staffingOverview(districtId: $district) { provider { name } fullTimeEquivalents } }`,
    variables: () => ({ district: O.ortenaukreis.id }),
    rules: COORDINATORS,
  },
  staleOrganizations: {
    // A coordinator sees every stale entry; an organisation's org_admins and leads their own only.
    document: `{ staleOrganizations(first: 100) { totalCount edges { node { id name } } } }`,
    rules: { ...COORDINATORS, lead: F, org_admin: F },
    filtered: ownOnly(nodes, (node) => node.id as string),
  },
  cooperationMeetings: {
    document: `query($district: ID!) { cooperationMeetings(districtId: $district, first: 5) { totalCount edges { node { id title } } } }`,
    variables: () => ({ district: O.ortenaukreis.id }),
    rules: AUTHENTICATED,
  },
  cooperationMeeting: {
    document: `query($id: ID!) { cooperationMeeting(id: $id) { id title } }`,
    variables: () => ({ id: demoId('cooperation-meeting', 'ortenau-2025-03') }),
    rules: AUTHENTICATED,
  },
  standards: {
    document: `query($district: ID!) { standards(districtId: $district) { id metric target } }`,
    variables: () => ({ district: O.ortenaukreis.id }),
    rules: AUTHENTICATED,
  },
  referral: {
    document: `query($id: ID!) { referral(id: $id) { id status clientData } }`,
    variables: () => ({ id: FOREIGN_REFERRAL }),
    rules: { ...CASE_STAFF_FILTERED, partner: F },
    filtered: isNull,
  },
  referrals: {
    document: `{ referrals(limit: 500) { id status sender { id } partner { id } } }`,
    rules: { ...CASE_STAFF_FILTERED, partner: F },
    filtered: ownReferrals((list) => (list as Row[] | null) ?? [], { nonEmpty: true }),
  },
  incomingReferrals: {
    document: `{ incomingReferrals(first: 100) { totalCount edges { node { id status sender { id } partner { id } } } } }`,
    rules: { ...NOBODY, partner: F },
    filtered: ownReferrals(nodes, { nonEmpty: true }),
  },
  outgoingReferrals: {
    document: `{ outgoingReferrals(first: 100) { totalCount edges { node { id status sender { id } partner { id } } } } }`,
    rules: CASE_STAFF_FILTERED,
    filtered: ownReferrals(nodes, { nonEmpty: true }),
  },
  myWebhooks: {
    document: `{ myWebhooks { id url active } }`,
    rules: WEBHOOK_ADMINS,
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Mutation

/** A lifecycle step on the Ortenaukreis's referral to the VHS (SENT), with a stale version: CONFLICT or a refused transition. */
function step(mutation: string, extra = ''): MatrixEntry {
  return {
    document: `mutation($id: ID!) { ${mutation}(input: { id: $id, expectedVersion: ${STALE}${extra} }) { id status } }`,
    variables: () => ({ id: SENT_TO_VHS }),
    rules: RECEIVER_STEP,
    filtered: notFound,
  };
}

export const MUTATION_MATRIX: Record<string, MatrixEntry> = {
  // Cases: the Ortenaukreis's own case ortenau-1 (active), its client, plan and household.
  assignCase: {
    document: `mutation($case: ID!) { assignCase(input: { caseId: $case, expectedVersion: ${STALE}, userIds: ["authz-matrix"] }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: LEADS,
  },
  restrictCase: {
    document: `mutation($case: ID!) { restrictCase(input: { caseId: $case, expectedVersion: ${STALE}, restricted: true }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: LEADS,
  },
  extendCounsellingPeriod: {
    document: `mutation($case: ID!) { extendCounsellingPeriod(input: { caseId: $case, expectedVersion: ${STALE}, until: "2020-01-01", reason: "Authorization matrix sample" }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: CASE_STAFF,
  },
  closeCase: {
    document: `mutation($case: ID!) { closeCase(input: { caseId: $case, expectedVersion: ${STALE}, reason: OTHER }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: CASE_STAFF,
  },
  restrictClientProcessing: {
    document: `mutation($client: ID!) { restrictClientProcessing(input: { clientId: $client, expectedVersion: ${STALE}, reason: ACCURACY_CONTESTED }) { id } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: LEADS,
  },
  liftClientProcessingRestriction: {
    // The client is not restricted: the lead's request stops with BAD_USER_INPUT (rule isRestricted).
    document: `mutation($client: ID!) { liftClientProcessingRestriction(input: { clientId: $client, expectedVersion: ${STALE} }) { id } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: LEADS,
  },
  eraseClient: {
    document: `mutation($client: ID!) { eraseClient(input: { clientId: $client, expectedVersion: ${STALE}, reason: OBJECTION }) { clientId } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: LEADS,
  },
  openCase: {
    // A child is not in the target group: BAD_USER_INPUT (rule adult), and nothing is stored.
    document: `mutation($client: NewClientInput!) { openCase(input: { client: $client }) { id } }`,
    variables: () => ({
      client: {
        givenName: 'Matrix', familyName: 'Beispiel', dateOfBirth: '2015-01-01', gender: 'FEMALE', nationalities: ['SY'], languages: ['ar'],
        arrivedOn: '2016-02-01', residenceStatus: 'RECOGNISED_REFUGEE', followUpAccommodation: 'CURRENT',
      },
    }),
    rules: CASE_STAFF,
  },
  changeCaseStatus: {
    document: `mutation($case: ID!) { changeCaseStatus(input: { id: $case, status: PAUSED, expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: CASE_STAFF,
  },
  recordConsultation: {
    document: `mutation($case: ID!) { recordConsultation(input: { caseId: $case, occurredAt: "2000-01-01T10:00:00Z", durationMinutes: 30, mode: OFFICE, lifeAreas: [LANGUAGE] }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: CASE_STAFF,
  },
  updatePlanProfile: {
    document: `mutation($plan: ID!) { updatePlanProfile(input: { planId: $plan, expectedVersion: ${STALE}, strengths: "Authorization matrix sample" }) { id } }`,
    variables: (f) => ({ plan: f.plan.planId }),
    rules: CASE_STAFF,
  },
  recordPlanReview: {
    document: `mutation($plan: ID!) { recordPlanReview(input: { planId: $plan, expectedVersion: ${STALE} }) { id } }`,
    variables: (f) => ({ plan: f.plan.planId }),
    rules: CASE_STAFF,
  },
  addGoal: {
    document: `mutation($plan: ID!) { addGoal(input: { planId: $plan, expectedPlanVersion: ${STALE}, lifeArea: LANGUAGE, description: "Authorization matrix sample" }) { id } }`,
    variables: (f) => ({ plan: f.plan.planId }),
    rules: CASE_STAFF,
  },
  updateGoal: {
    document: `mutation($goal: ID!) { updateGoal(input: { id: $goal, expectedVersion: ${STALE}, description: "Authorization matrix sample" }) { id } }`,
    variables: (f) => ({ goal: f.plan.goalId }),
    rules: CASE_STAFF,
  },
  addMeasure: {
    document: `mutation($goal: ID!) { addMeasure(input: { goalId: $goal, expectedPlanVersion: ${STALE}, description: "Authorization matrix sample", responsible: CLIENT }) { id } }`,
    variables: (f) => ({ goal: f.plan.goalId }),
    rules: CASE_STAFF,
  },
  updateMeasure: {
    document: `mutation($measure: ID!) { updateMeasure(input: { id: $measure, expectedVersion: ${STALE}, description: "Authorization matrix sample" }) { id } }`,
    variables: (f) => ({ measure: f.plan.measureId }),
    rules: CASE_STAFF,
  },
  updateClient: {
    document: `mutation($client: ID!) { updateClient(input: { id: $client, expectedVersion: ${STALE}, givenName: "Matrix" }) { id } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: CASE_STAFF,
  },
  recordConsent: {
    // DATA_SHARING without a recipient: BAD_USER_INPUT (rule exactlyOneRecipient).
    document: `mutation($case: ID!) { recordConsent(input: { caseId: $case, kind: DATA_SHARING, purposes: ["Matrix"], textVersion: "matrix", explainedIn: "de", givenOn: "2026-01-01" }) { id } }`,
    variables: () => ({ case: OWN_CASE }),
    rules: CASE_STAFF,
  },
  revokeConsent: {
    document: `mutation($consent: ID!) { revokeConsent(input: { id: $consent, expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ consent: demoId('consent', `counselling:${OWN_CASE}`) }),
    rules: CASE_STAFF,
  },
  createHousehold: {
    // The client already belongs to a household: BAD_USER_INPUT (rule notInOtherHousehold).
    document: `mutation($client: ID!) { createHousehold(input: { name: "Matrix", memberClientIds: [$client] }) { id } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: CASE_STAFF,
  },
  joinHousehold: {
    document: `mutation($client: ID!, $household: ID!) { joinHousehold(input: { clientId: $client, householdId: $household, expectedVersion: ${STALE} }) { id } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE], household: OWN_HOUSEHOLD }),
    rules: CASE_STAFF,
  },
  leaveHousehold: {
    document: `mutation($client: ID!) { leaveHousehold(input: { clientId: $client, expectedVersion: ${STALE} }) { id } }`,
    variables: (f) => ({ client: f.clientOfCase[OWN_CASE] }),
    rules: CASE_STAFF,
  },
  addHouseholdChild: {
    // An adult is not a child: BAD_USER_INPUT (rule isChild).
    document: `mutation($household: ID!) { addHouseholdChild(input: { householdId: $household, givenName: "Matrix", dateOfBirth: "2000-01-01", careStatus: AT_HOME }) { id } }`,
    variables: () => ({ household: OWN_HOUSEHOLD }),
    rules: CASE_STAFF,
  },
  updateHouseholdChild: {
    document: `mutation($child: ID!) { updateHouseholdChild(input: { id: $child, expectedVersion: ${STALE}, givenName: "Matrix" }) { id } }`,
    variables: () => ({ child: demoId('household-child', 'ortenau-1-a') }),
    rules: CASE_STAFF,
  },
  removeHouseholdChild: {
    document: `mutation($child: ID!) { removeHouseholdChild(input: { id: $child, expectedVersion: ${STALE} }) }`,
    variables: () => ({ child: demoId('household-child', 'ortenau-1-b') }),
    rules: CASE_STAFF,
  },

  // Partners: the directory entries of the Volkshochschule (editors: its org_admin, and coordinators), the
  // Ortenaukreis's internal figures and cooperation (coordinators of the district).
  createOffering: {
    // Without a type: BAD_USER_INPUT (rule isNotEmpty).
    document: `mutation($organization: ID!) { createOffering(input: { organizationId: $organization, title: [{ lang: DE, text: "Matrix" }] }) { id } }`,
    variables: () => ({ organization: O.vhs.id }),
    rules: VHS_EDITORS,
  },
  updateOffering: {
    document: `mutation($offering: ID!) { updateOffering(input: { id: $offering, expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ offering: VHS_COURSE }),
    rules: VHS_EDITORS,
  },
  verifyOffering: {
    document: `mutation($offering: ID!) { verifyOffering(id: $offering) { id } }`,
    variables: () => ({ offering: VHS_EVENING_COURSE }),
    rules: VHS_EDITORS,
  },
  addTaxonomyTerm: {
    // Without a label in its original language: BAD_USER_INPUT (rule hasOriginal).
    document: `mutation { addTaxonomyTerm(input: { id: "authz-matrix-term", scheme: OFFERING_TYPE, labels: [{ lang: EN, text: "Matrix", state: MACHINE_TRANSLATED }] }) { id } }`,
    rules: COORDINATORS,
  },
  setText: {
    // A blank text: BAD_USER_INPUT (rule isNotEmpty).
    document: `mutation($offering: ID!) { setText(input: { entityType: OFFERING, entityId: $offering, field: "scheduleNote", lang: EN, text: " ", state: MACHINE_TRANSLATED }) { text } }`,
    variables: () => ({ offering: VHS_COURSE }),
    rules: VHS_EDITORS,
  },
  recordAccommodationSite: {
    // Offenburg's sites: Offenburg's editors and coordinators. Closed before opened: BAD_USER_INPUT.
    document: `mutation($municipality: ID!) { recordAccommodationSite(input: { municipalityId: $municipality, name: "Matrix", capacity: 1, openedOn: "2026-02-01", closedOn: "2026-01-01" }) { id } }`,
    variables: () => ({ municipality: OFFENBURG }),
    rules: COORDINATORS,
  },
  updateAccommodationSite: {
    document: `mutation($site: ID!) { updateAccommodationSite(input: { id: $site, expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ site: demoId('accommodation-site', 'offenburg-weststadt') }),
    rules: COORDINATORS,
  },
  recordFundingAllocation: {
    document: `mutation($municipality: ID!) { recordFundingAllocation(input: { municipalityId: $municipality, program: "Matrix", periodStart: "2026-02-01", periodEnd: "2026-01-01", amountEur: "1.00" }) { id } }`,
    variables: () => ({ municipality: OFFENBURG }),
    rules: COORDINATORS,
  },
  assignIntegrationManagement: {
    // DELEGATED to a language-course provider: BAD_USER_INPUT (only welfare organisations).
    document: `mutation($municipality: ID!, $provider: ID!) { assignIntegrationManagement(input: { municipalityId: $municipality, providerOrganizationId: $provider, mode: DELEGATED, validFrom: "2027-01-01" }) { id } }`,
    variables: () => ({ municipality: OFFENBURG, provider: O.vhs.id }),
    rules: COORDINATORS,
  },
  endIntegrationManagement: {
    document: `mutation($responsibility: ID!) { endIntegrationManagement(input: { id: $responsibility, validUntil: "2027-12-31", expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ responsibility: demoId('im-responsibility', `${OFFENBURG_AGS}:2023-01-01`) }),
    rules: COORDINATORS,
  },
  recordStaffing: {
    // A language-course provider does not provide integration management: BAD_USER_INPUT (rule isProvider).
    document: `mutation($provider: ID!) { recordStaffing(input: { providerOrganizationId: $provider, validFrom: "2027-01-01", fullTimeEquivalents: "1.00" }) { id } }`,
    variables: () => ({ provider: O.vhs.id }),
    rules: COORDINATORS,
  },
  addContactPoint: {
    document: `mutation($organization: ID!) { addContactPoint(input: { organizationId: $organization, kind: EMAIL, value: "not an e-mail address", visibility: PUBLIC }) { id } }`,
    variables: () => ({ organization: O.vhs.id }),
    rules: VHS_EDITORS,
  },
  updateContactPoint: {
    document: `mutation($contact: ID!) { updateContactPoint(input: { id: $contact, expectedVersion: ${STALE}, label: "Matrix" }) { id } }`,
    variables: () => ({ contact: demoId('contact-point', 'vhs-0') }),
    rules: VHS_EDITORS,
  },
  removeContactPoint: {
    // Succeeds for the first editor (the VHS's website is gone from this test's platform), NOT_FOUND for the next.
    document: `mutation($contact: ID!) { removeContactPoint(id: $contact) }`,
    variables: () => ({ contact: demoId('contact-point', 'vhs-2') }),
    rules: VHS_EDITORS,
  },
  verifyOrganization: {
    document: `mutation($organization: ID!) { verifyOrganization(id: $organization) { id } }`,
    variables: () => ({ organization: O.vhs.id }),
    rules: VHS_EDITORS,
  },
  addLocation: {
    document: `mutation($organization: ID!) { addLocation(input: { organizationId: $organization, city: " " }) { id } }`,
    variables: () => ({ organization: O.vhs.id }),
    rules: VHS_EDITORS,
  },
  updateLocation: {
    document: `mutation($location: ID!) { updateLocation(input: { id: $location, expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ location: VHS_LOCATION }),
    rules: VHS_EDITORS,
  },
  removeLocation: {
    // Courses take place there: BAD_USER_INPUT (rule notInUse).
    document: `mutation($location: ID!) { removeLocation(id: $location) }`,
    variables: () => ({ location: VHS_LOCATION }),
    rules: VHS_EDITORS,
  },
  setServiceArea: {
    // A district is not a municipality: BAD_USER_INPUT (rule isMunicipality).
    document: `mutation($organization: ID!, $district: ID!) { setServiceArea(input: { organizationId: $organization, municipalityIds: [$district] }) { id } }`,
    variables: () => ({ organization: O.vhs.id, district: O.ortenaukreis.id }),
    rules: VHS_EDITORS,
  },
  updateOrganization: {
    document: `mutation($organization: ID!) { updateOrganization(input: { id: $organization, expectedVersion: ${STALE} }) { id } }`,
    variables: () => ({ organization: O.vhs.id }),
    rules: VHS_EDITORS,
  },
  recordCooperationMeeting: {
    // More than a year ahead: BAD_USER_INPUT (rule notMoreThanAYearAhead).
    document: `mutation($district: ID!) { recordCooperationMeeting(input: { districtId: $district, heldOn: "2099-01-01", title: "Matrix" }) { id } }`,
    variables: () => ({ district: O.ortenaukreis.id }),
    rules: COORDINATORS,
  },
  updateCooperationMeeting: {
    document: `mutation($meeting: ID!) { updateCooperationMeeting(input: { id: $meeting, expectedVersion: ${STALE}, title: "Matrix" }) { id } }`,
    variables: () => ({ meeting: demoId('cooperation-meeting', 'ortenau-2025-03') }),
    rules: COORDINATORS,
  },
  adoptStandard: {
    // A share above 1: BAD_USER_INPUT (rule isShare).
    document: `mutation($district: ID!, $meeting: ID!) { adoptStandard(input: { districtId: $district, meetingId: $meeting, title: "Matrix", description: "Matrix",
      metric: SHARE_ACTIVE_CASES_WITH_PLAN, target: 2, direction: AT_LEAST, validFrom: "2027-01-01" }) { id } }`,
    variables: () => ({ district: O.ortenaukreis.id, meeting: demoId('cooperation-meeting', 'ortenau-2025-03') }),
    rules: COORDINATORS,
  },
  retireStandard: {
    document: `mutation($standard: ID!) { retireStandard(input: { id: $standard, expectedVersion: ${STALE}, validUntil: "2027-12-31" }) { id } }`,
    variables: () => ({ standard: demoId('standard', 'ortenau-plan-share') }),
    rules: COORDINATORS,
  },

  // Referrals: the Ortenaukreis's referral to the VHS (SENT), and webhooks of one's own organisation.
  sendReferral: {
    // ortenau-3 has no counselling consent: BAD_USER_INPUT (rule consentRequired), nothing stored.
    document: `mutation($case: ID!, $partner: ID!) { sendReferral(input: { caseId: $case, partnerOrganizationId: $partner, lifeArea: LANGUAGE,
      reason: "Authorization matrix sample", idempotencyKey: "authz-matrix-send" }) { id } }`,
    variables: () => ({ case: OWN_CASE_WITHOUT_CONSENT, partner: O.vhs.id }),
    rules: CASE_STAFF,
  },
  cancelReferral: { ...step('cancelReferral', ', reason: SENT_IN_ERROR'), rules: SENDER_STEP },
  openReferral: step('openReferral'),
  acceptReferral: step('acceptReferral'),
  declineReferral: step('declineReferral', ', reason: NO_CAPACITY'),
  waitlistReferral: step('waitlistReferral', ', position: 1'),
  scheduleReferral: step('scheduleReferral', ', start: "2027-01-11"'),
  startReferral: step('startReferral'),
  holdReferral: step('holdReferral'),
  completeReferral: step('completeReferral', ', outcome: { code: CERTIFICATE, levelReached: B1, certificate: "DTZ B1" }'),
  failReferral: step('failReferral', ', reason: DROPPED_OUT'),
  markReferralNoShow: step('markReferralNoShow'),
  registerWebhook: {
    document: `mutation { registerWebhook(input: { url: "not a web address" }) { subscription { id } secret } }`,
    rules: WEBHOOK_ADMINS,
  },
  rotateWebhookSecret: {
    document: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { subscription { id } secret } }`,
    variables: () => ({ id: NO_SUCH_ID }),
    rules: WEBHOOK_ADMINS,
  },
  deactivateWebhook: {
    document: `mutation($id: ID!) { deactivateWebhook(id: $id) { id active } }`,
    variables: () => ({ id: NO_SUCH_ID }),
    rules: WEBHOOK_ADMINS,
  },
};
