import { invalidInput } from '@integration-graph/common';

/**
 * The fields of a client that a DATA_SHARING consent can name in its scope: the vocabulary referrals (issue 5) use
 * for the snapshot they send a recipient. A referral may include exactly the fields of the consent's scope, nothing
 * else; anything not in this list (consultation notes, plan goals, eligibility, other clients of the household) is
 * never shared through a referral.
 *
 * - name:              given and family name
 * - dateOfBirth:       date of birth
 * - phone, email:      contact details of the client
 * - languages:         languages spoken (ISO 639)
 * - nationalities:     nationalities (ISO 3166-1 alpha-2)
 * - residenceStatus:   residence title or status
 * - arrivedOn:         arrival in Germany
 * - address:           where the client lives (accommodation site or private flat since)
 * - germanLevel:       German level per skill (CEFR) with certificates, from the integration plan's profile
 * - qualifications:    vocational qualification, academic degree, recognition status, work experience
 * - schooling:         years and highest level of schooling (ISCED)
 * - drivingLicence:    driving licence classes
 * - household:         household composition (number and age of children, their childcare or school status)
 */
export const SHAREABLE_FIELDS = [
  'name',
  'dateOfBirth',
  'phone',
  'email',
  'languages',
  'nationalities',
  'residenceStatus',
  'arrivedOn',
  'address',
  'germanLevel',
  'qualifications',
  'schooling',
  'drivingLicence',
  'household',
] as const;

export type ShareableField = (typeof SHAREABLE_FIELDS)[number];

/**
 * Kinds of recipient organisation a DATA_SHARING consent can name instead of one organisation: the partners
 * subgraph's OrganizationKind, stored in its lower-case form ("jobcenter"); the enum names ("JOBCENTER") are
 * accepted too.
 */
export const RECIPIENT_KINDS = [
  'district',
  'municipality',
  'welfare_organization',
  'jobcenter',
  'employment_agency',
  'language_course_provider',
  'immigration_office',
  'migration_counselling',
  'youth_migration_service',
  'volunteer_group',
  'school_authority',
  'health_service',
  'other',
] as const;

/** The scope of a data-sharing consent: not empty, every item from SHAREABLE_FIELDS, without repetitions. */
export function requireScope(field: string, scope: readonly string[] | null | undefined): ShareableField[] {
  if (!scope?.length) throw invalidInput(field, 'notEmpty', `name the fields that may be shared, from: ${SHAREABLE_FIELDS.join(', ')}`);
  const unknown = scope.filter((item) => !(SHAREABLE_FIELDS as readonly string[]).includes(item));
  if (unknown.length) {
    throw invalidInput(field, 'isShareableField', `${unknown.map((u) => `"${u}"`).join(', ')} cannot be shared; allowed: ${SHAREABLE_FIELDS.join(', ')}`);
  }
  return [...new Set(scope)] as ShareableField[];
}

/** A recipient kind from RECIPIENT_KINDS, in its stored lower-case form. */
export function requireRecipientKind(field: string, kind: string): string {
  const normalised = kind.trim().toLowerCase();
  if (!(RECIPIENT_KINDS as readonly string[]).includes(normalised)) {
    throw invalidInput(field, 'isOrganizationKind', `"${kind}" is not a kind of organisation; allowed: ${RECIPIENT_KINDS.join(', ')}`);
  }
  return normalised;
}
