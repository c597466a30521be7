import { v5 as uuidv5 } from 'uuid';
import { Role } from '../auth/principal';

/**
 * The demo world shared by the subgraphs' seeds, the token command and the tests: real places of the
 * Ortenaukreis (from ../shared/data), fictional people. Identifiers are derived deterministically so that every
 * subgraph refers to the same organisations and cases without asking the others.
 */
const NAMESPACE = '6f1c7c1e-4c3a-5d0e-9a57-2b7d4c1f0a11';

export function demoId(kind: string, key: string): string {
  return uuidv5(`${kind}:${key}`, NAMESPACE);
}

/** Organisations of districts and municipalities are identified by their official municipality key (AGS). */
export function organizationIdForAgs(ags: string): string {
  return demoId('ags', ags);
}

export const ORTENAUKREIS_AGS = '08317';
export const OFFENBURG_AGS = '08317096';
export const KEHL_AGS = '08317057';

export interface DemoOrganization {
  alias: string;
  id: string;
  name: string;
  kind: string;
}

/** Organisations besides the district and its municipalities (those come from the shared AGS list). */
export const DEMO_ORGANIZATIONS = {
  ortenaukreis: { alias: 'ortenaukreis', id: organizationIdForAgs(ORTENAUKREIS_AGS), name: 'Ortenaukreis', kind: 'district' },
  offenburg: { alias: 'offenburg', id: organizationIdForAgs(OFFENBURG_AGS), name: 'Offenburg', kind: 'municipality' },
  diakonie: { alias: 'diakonie', id: demoId('org', 'diakonie-ortenau'), name: 'Diakonie Ortenau (Demo)', kind: 'welfare_organization' },
  caritas: { alias: 'caritas', id: demoId('org', 'caritas-offenburg-kehl'), name: 'Caritas Offenburg-Kehl (Demo)', kind: 'welfare_organization' },
  jobcenter: { alias: 'jobcenter', id: demoId('org', 'jobcenter-ortenau'), name: 'Jobcenter Ortenaukreis (Demo)', kind: 'jobcenter' },
  vhs: { alias: 'vhs', id: demoId('org', 'vhs-offenburg'), name: 'Volkshochschule Offenburg (Demo)', kind: 'language_course_provider' },
  immigrationOffice: { alias: 'auslaenderbehoerde', id: demoId('org', 'auslaenderbehoerde-ortenau'), name: 'Ausländerbehörde Ortenaukreis (Demo)', kind: 'immigration_office' },
  mbe: { alias: 'mbe', id: demoId('org', 'mbe-caritas'), name: 'Migrationsberatung für Erwachsene, Caritas (Demo)', kind: 'migration_counselling' },
  volunteers: { alias: 'freundeskreis', id: demoId('org', 'freundeskreis-asyl-lahr'), name: 'Freundeskreis Asyl Lahr (Demo)', kind: 'volunteer_group' },
} satisfies Record<string, DemoOrganization>;

export interface DemoUser {
  handle: string;
  id: string;
  name: string;
  organizationId: string;
  roles: Role[];
}

function user(handle: string, name: string, organization: DemoOrganization, roles: Role[]): DemoUser {
  return { handle, id: demoId('user', handle), name, organizationId: organization.id, roles };
}

const O = DEMO_ORGANIZATIONS;
export const DEMO_USERS: DemoUser[] = [
  user('ortenaukreis-caseworker', 'Mara Keller', O.ortenaukreis, [Role.Caseworker]),
  user('ortenaukreis-lead', 'Jonas Brenner', O.ortenaukreis, [Role.Lead]),
  user('ortenaukreis-coordinator', 'Sabine Wolf', O.ortenaukreis, [Role.Coordinator]),
  user('ortenaukreis-auditor', 'Dr. Petra Lang', O.ortenaukreis, [Role.Auditor]),
  user('offenburg-caseworker', 'Aylin Demir', O.offenburg, [Role.Caseworker]),
  user('diakonie-caseworker', 'Tobias Fischer', O.diakonie, [Role.Caseworker]),
  user('jobcenter-partner', 'Lena Huber', O.jobcenter, [Role.Partner]),
  user('vhs-partner', 'Markus Roth', O.vhs, [Role.Partner]),
  user('vhs-admin', 'Elif Yılmaz', O.vhs, [Role.OrgAdmin]),
  // Offenburg's Bürger-App: a client of the graph, not a person; its organisation is the municipality.
  user('offenburg-app', 'Bürger-App Offenburg', O.offenburg, [Role.MunicipalApp]),
];

export interface DemoCase {
  id: string;
  ownerOrganizationId: string;
  status: 'intake' | 'active' | 'paused' | 'closed';
  openedAt: string;
  /** AGS of the municipality the client lives in. */
  municipalityAgs: string;
}

function demoCase(key: string, owner: DemoOrganization, status: DemoCase['status'], openedAt: string, municipalityAgs: string): DemoCase {
  return { id: demoId('case', key), ownerOrganizationId: owner.id, status, openedAt, municipalityAgs };
}

export const DEMO_CASES: DemoCase[] = [
  demoCase('ortenau-1', O.ortenaukreis, 'active', '2024-03-04T09:00:00Z', '08317005'),
  demoCase('ortenau-2', O.ortenaukreis, 'active', '2025-01-20T10:30:00Z', '08317034'),
  demoCase('ortenau-3', O.ortenaukreis, 'intake', '2026-10-12T08:15:00Z', '08317047'),
  demoCase('offenburg-1', O.offenburg, 'active', '2024-09-02T13:00:00Z', OFFENBURG_AGS),
  demoCase('offenburg-2', O.offenburg, 'paused', '2023-11-15T09:45:00Z', OFFENBURG_AGS),
  demoCase('diakonie-1', O.diakonie, 'active', '2025-06-30T11:00:00Z', '08317110'),
];

export interface DemoReferral {
  id: string;
  caseId: string;
  senderOrganizationId: string;
  receiverOrganizationId: string;
  status: string;
  createdAt: string;
}

function demoReferral(key: string, caseKey: string, receiver: DemoOrganization, status: string, createdAt: string): DemoReferral {
  const theCase = DEMO_CASES.find((c) => c.id === demoId('case', caseKey));
  if (!theCase) throw new Error(`demo referral ${key}: unknown case ${caseKey}`);
  return {
    id: demoId('referral', key),
    caseId: theCase.id,
    senderOrganizationId: theCase.ownerOrganizationId,
    receiverOrganizationId: receiver.id,
    status,
    createdAt,
  };
}

export const DEMO_REFERRALS: DemoReferral[] = [
  demoReferral('ortenau-1-jobcenter', 'ortenau-1', O.jobcenter, 'accepted', '2024-04-10T09:00:00Z'),
  demoReferral('ortenau-1-vhs', 'ortenau-1', O.vhs, 'completed', '2024-03-20T09:00:00Z'),
  demoReferral('ortenau-2-vhs', 'ortenau-2', O.vhs, 'sent', '2026-11-02T10:00:00Z'),
  demoReferral('ortenau-2-mbe', 'ortenau-2', O.mbe, 'draft', '2026-11-18T14:00:00Z'),
  demoReferral('offenburg-1-jobcenter', 'offenburg-1', O.jobcenter, 'received', '2026-11-10T08:30:00Z'),
  demoReferral('diakonie-1-vhs', 'diakonie-1', O.vhs, 'waitlisted', '2025-08-01T12:00:00Z'),
];

/** Finds a demo organisation by alias or id. */
export function findDemoOrganization(aliasOrId: string): DemoOrganization | undefined {
  return Object.values(DEMO_ORGANIZATIONS).find((org) => org.alias === aliasOrId || org.id === aliasOrId);
}

/** Fictional names of the demo clients, by the position of their case in the cases seed (DEMO_CASES first). */
const DEMO_GIVEN_NAMES = ['Amina', 'Yusuf', 'Olena', 'Dmytro', 'Fatima', 'Ahmad', 'Mariam', 'Hamid', 'Iryna', 'Samir', 'Leyla', 'Omid', 'Nour', 'Bashir', 'Kateryna', 'Zainab'];
const DEMO_FAMILY_NAMES = ['Haddad', 'Rahimi', 'Kovalenko', 'Shevchenko', 'Al-Masri', 'Karimi', 'Hussein', 'Bondarenko', 'Nazari', 'Ibrahim', 'Tkachenko', 'Sultani'];

export function demoClientName(position: number): { givenName: string; familyName: string } {
  return { givenName: DEMO_GIVEN_NAMES[position % DEMO_GIVEN_NAMES.length], familyName: DEMO_FAMILY_NAMES[(position * 7) % DEMO_FAMILY_NAMES.length] };
}
