import { TableDefinition } from './copy-format';

/**
 * The tables the generator fills, per subgraph database, in load order (a table after the tables its foreign keys
 * point at), with the columns it writes. Columns left out keep their defaults, so a later migration that adds a
 * column with a default does not break the generator. Names and stored values follow the services' migrations
 * (services/<name>/src/migrations).
 */
export const PARTNERS_TABLES: readonly TableDefinition[] = [
  {
    table: 'organizations',
    columns: ['id', 'name', 'kind', 'official_municipality_key', 'parent_id', 'created_at', 'updated_at', 'version', 'languages_spoken', 'last_verified_at', 'last_verified_by'],
  },
  { table: 'translations', columns: ['entity_type', 'entity_id', 'field', 'lang', 'text', 'state', 'owner_organization_id', 'updated_at', 'updated_by'] },
  { table: 'contact_points', columns: ['id', 'organization_id', 'kind', 'value', 'label', 'visibility', 'position', 'created_at', 'updated_at', 'version'] },
  {
    table: 'locations',
    columns: ['id', 'organization_id', 'municipality_id', 'street', 'postal_code', 'city', 'latitude', 'longitude', 'created_at', 'updated_at', 'version'],
  },
  { table: 'opening_hours', columns: ['id', 'location_id', 'weekday', 'opens', 'closes'] },
  { table: 'organization_service_areas', columns: ['organization_id', 'municipality_id'] },
  {
    table: 'integration_management_responsibilities',
    columns: ['id', 'municipality_id', 'provider_organization_id', 'mode', 'association_name', 'valid_from', 'valid_until', 'created_at', 'updated_at', 'version'],
  },
  {
    table: 'staffing_positions',
    columns: ['id', 'provider_organization_id', 'valid_from', 'valid_until', 'full_time_equivalents', 'note', 'created_at', 'updated_at', 'version'],
  },
  {
    table: 'funding_allocations',
    columns: ['id', 'municipality_id', 'recipient_organization_id', 'program', 'period_start', 'period_end', 'amount_eur', 'note', 'created_at', 'updated_at', 'version'],
  },
  {
    table: 'accommodation_sites',
    columns: ['id', 'municipality_id', 'name', 'street', 'postal_code', 'capacity', 'opened_on', 'closed_on', 'created_at', 'updated_at', 'version'],
  },
  {
    table: 'offerings',
    columns: [
      'id', 'organization_id', 'type_id', 'location_id', 'target_level', 'starts_on', 'ends_on', 'sessions', 'teaching_units', 'seats_total', 'seats_free',
      'instruction_languages', 'support_languages', 'childcare', 'cost_eur', 'status', 'last_verified_at', 'last_verified_by', 'created_at', 'updated_at', 'version',
    ],
  },
  { table: 'offering_life_areas', columns: ['offering_id', 'life_area_id'] },
  { table: 'offering_service_areas', columns: ['offering_id', 'municipality_id'] },
  { table: 'cooperation_meetings', columns: ['id', 'district_id', 'held_on', 'title', 'location', 'minutes', 'decisions', 'created_at', 'updated_at', 'version'] },
  { table: 'cooperation_meeting_participants', columns: ['meeting_id', 'organization_id'] },
  {
    table: 'standards',
    columns: ['id', 'district_id', 'title', 'description', 'metric', 'target', 'direction', 'adopted_at_meeting_id', 'valid_from', 'valid_until', 'created_at', 'updated_at', 'version'],
  },
];

/** Taxonomy terms are loaded once, before the first district (they are shared by all). */
export const TAXONOMY_TABLE: TableDefinition = {
  table: 'taxonomy_terms',
  columns: ['id', 'scheme', 'parent_id', 'uri', 'owner_organization_id', 'position', 'created_at', 'updated_at', 'version'],
};

export const CASES_TABLES: readonly TableDefinition[] = [
  { table: 'households', columns: ['id', 'owner_organization_id', 'name', 'created_at', 'updated_at', 'version'] },
  {
    table: 'clients',
    columns: [
      'id', 'owner_organization_id', 'household_id', 'given_name', 'family_name', 'date_of_birth', 'gender', 'nationalities', 'languages', 'arrived_on',
      'residence_status', 'follow_up_accommodation', 'accommodation_site_id', 'private_flat_since', 'phone', 'email', 'created_at', 'updated_at', 'version',
      'processing_restricted_since', 'processing_restriction_reason', 'processing_restriction_note', 'processing_restricted_by',
    ],
  },
  { table: 'household_children', columns: ['id', 'owner_organization_id', 'household_id', 'given_name', 'date_of_birth', 'care_status', 'created_at', 'updated_at', 'version'] },
  {
    table: 'cases',
    columns: [
      'id', 'owner_organization_id', 'status', 'opened_at', 'idempotency_key', 'created_at', 'updated_at', 'version', 'client_id', 'municipality_id', 'program_id',
      'period_ends_on', 'extension_reason', 'restricted_to_assigned', 'closed_at', 'closure_reason', 'closure_note', 'eligibility_override_reason',
      'eligibility_overridden_by',
    ],
  },
  { table: 'case_assignments', columns: ['case_id', 'user_id', 'owner_organization_id', 'assigned_at', 'assigned_by'] },
  {
    table: 'consents',
    columns: [
      'id', 'owner_organization_id', 'case_id', 'kind', 'recipient_organization_id', 'recipient_kind', 'scope', 'purposes', 'text_version', 'explained_in',
      'given_on', 'valid_until', 'recorded_by', 'revoked_at', 'revocation_note', 'created_at', 'updated_at', 'version',
    ],
  },
  {
    table: 'integration_plans',
    columns: [
      'id', 'owner_organization_id', 'case_id', 'schooling_years', 'highest_schooling_isced', 'vocational_qualification', 'academic_degree', 'recognition_status',
      'work_experience', 'german_skills', 'other_languages', 'driving_licence', 'strengths', 'last_reviewed_on', 'next_review_due', 'created_at', 'updated_at',
      'version',
    ],
  },
  {
    table: 'goals',
    columns: ['id', 'owner_organization_id', 'plan_id', 'case_id', 'life_area', 'description', 'priority', 'target_date', 'status', 'closed_on', 'created_at', 'updated_at', 'version'],
  },
  {
    table: 'measures',
    columns: ['id', 'owner_organization_id', 'goal_id', 'case_id', 'description', 'responsible', 'partner_organization_id', 'due_on', 'done_on', 'created_at', 'updated_at', 'version'],
  },
  { table: 'plan_revisions', columns: ['id', 'owner_organization_id', 'plan_id', 'case_id', 'revision', 'author_user_id', 'created_at', 'summary', 'changes'] },
  {
    table: 'consultations',
    columns: [
      'id', 'owner_organization_id', 'case_id', 'occurred_at', 'duration_minutes', 'mode', 'life_areas', 'interpreter_used', 'interpreter_language', 'note',
      'recorded_by', 'idempotency_key', 'created_at', 'updated_at', 'version',
    ],
  },
];

export const REFERRALS_TABLES: readonly TableDefinition[] = [
  {
    table: 'referrals',
    columns: [
      'id', 'case_id', 'sender_organization_id', 'receiver_organization_id', 'status', 'created_at', 'updated_at', 'version', 'receiver_kind', 'offering_id',
      'life_area', 'goal_id', 'reason', 'urgency', 'requested_start', 'idempotency_key', 'payload_hash', 'sent_at', 'response_due_at', 'first_response_at',
      'started_at', 'closed_at', 'waitlist_position', 'expected_start', 'scheduled_start', 'reason_code', 'reason_text', 'outcome', 'consent_id', 'snapshot',
      'snapshot_scope', 'snapshot_taken_at', 'snapshot_withdrawn_at', 'municipality_id', 'anonymised_at',
    ],
  },
  {
    table: 'referral_events',
    columns: [
      'id', 'referral_id', 'sender_organization_id', 'receiver_organization_id', 'from_status', 'to_status', 'actor_user_id', 'actor_organization_id',
      'actor_side', 'comment', 'details', 'occurred_at',
    ],
  },
];

export const SERVICES = ['partners', 'cases', 'referrals'] as const;
export type Service = (typeof SERVICES)[number];

export const TABLES: Record<Service, readonly TableDefinition[]> = { partners: PARTNERS_TABLES, cases: CASES_TABLES, referrals: REFERRALS_TABLES };

/**
 * Tables that migrations fill or that must never be emptied: left alone by --replace. The audit trail is
 * append-only (a trigger refuses TRUNCATE for every role), the counselling program rules come from a migration.
 */
export const KEPT_TABLES: readonly string[] = ['migrations', 'counselling_programs', 'audit_entries', 'audit_chain_head'];

/** Codes of the tables in generated identifiers (uuidOf(seed, district, code, n)); never reuse a number. */
export const ID_CODES = {
  contactPoint: 1,
  location: 2,
  openingHours: 3,
  responsibility: 4,
  staffing: 5,
  funding: 6,
  accommodationSite: 7,
  offering: 8,
  meeting: 9,
  standard: 10,
  household: 11,
  client: 12,
  child: 13,
  case: 14,
  consent: 15,
  plan: 16,
  goal: 17,
  measure: 18,
  revision: 19,
  consultation: 20,
  referral: 21,
  event: 22,
} as const;
