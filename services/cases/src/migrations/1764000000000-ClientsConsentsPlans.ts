import { forceRowLevelSecurity } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clients and households, eligibility, consent, the living integration plan (profile, goals, measures, revisions)
 * and consultations.
 *
 * Access: every row carries its owning organisation. Staff (caseworker, lead) of that organisation see client
 * master data; everything that belongs to a case is visible exactly when the case is (the policies ask the cases
 * table, whose own policy applies): a case restricted to its assigned managers hides its plan, consents and
 * consultations from the organisation's other caseworkers too. Plan revisions are append-only.
 */
export class ClientsConsentsPlans1764000000000 implements MigrationInterface {
  name = 'ClientsConsentsPlans1764000000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`CREATE FUNCTION app_is_case_staff() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT app_has_role('caseworker') OR app_has_role('lead') $$`);

    // Rules of a funding program: counselling period and review interval are data, they change with the rules.
    await q(`
      CREATE TABLE counselling_programs (
        id text PRIMARY KEY,
        name text NOT NULL,
        standard_months integer NOT NULL CHECK (standard_months > 0),
        maximum_months integer NOT NULL CHECK (maximum_months >= standard_months),
        review_interval_months integer NOT NULL CHECK (review_interval_months > 0),
        earliest_arrival date NOT NULL
      )`);
    await q(`INSERT INTO counselling_programs VALUES ('bw-im-2023', 'Integrationsmanagement Baden-Württemberg (Regeln ab 2023)', 36, 48, 6, '2015-01-01')`);
    await q(`ALTER TABLE counselling_programs ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY counselling_programs_read ON counselling_programs FOR SELECT USING (true)`);

    await q(`
      CREATE TABLE households (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q(`
      CREATE TABLE clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        household_id uuid REFERENCES households(id),
        given_name text NOT NULL CHECK (length(btrim(given_name)) > 0),
        family_name text NOT NULL CHECK (length(btrim(family_name)) > 0),
        date_of_birth date NOT NULL,
        gender text NOT NULL CHECK (gender IN ('female', 'male', 'diverse', 'unspecified')),
        nationalities text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        arrived_on date,
        residence_status text NOT NULL CHECK (residence_status IN ('recognised_refugee', 'subsidiary_protection', 'national_deportation_ban',
          'temporary_protection', 'other_humanitarian', 'tolerated_stay', 'asylum_procedure', 'settlement_permit', 'naturalised', 'other')),
        follow_up_accommodation text NOT NULL CHECK (follow_up_accommodation IN ('current', 'former', 'never')),
        accommodation_site_id uuid,
        private_flat_since date,
        phone text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (accommodation_site_id IS NULL OR private_flat_since IS NULL)
      )`);
    await q(`CREATE INDEX clients_owner_name ON clients (owner_organization_id, family_name, given_name)`);
    await q(`CREATE INDEX clients_household ON clients (household_id)`);
    await q(`
      CREATE TABLE household_children (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
        given_name text NOT NULL CHECK (length(btrim(given_name)) > 0),
        date_of_birth date NOT NULL,
        care_status text NOT NULL CHECK (care_status IN ('at_home', 'daycare', 'primary_school', 'secondary_school', 'vocational_school', 'other')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);

    // Cases grow: client, municipality, program and counselling period, restriction, closure, eligibility override.
    await q(`ALTER TABLE cases
      ADD COLUMN client_id uuid REFERENCES clients(id),
      ADD COLUMN municipality_id uuid,
      ADD COLUMN program_id text NOT NULL DEFAULT 'bw-im-2023' REFERENCES counselling_programs(id),
      ADD COLUMN period_ends_on date,
      ADD COLUMN extension_reason text,
      ADD COLUMN restricted_to_assigned boolean NOT NULL DEFAULT false,
      ADD COLUMN closed_at timestamptz,
      ADD COLUMN closure_reason text CHECK (closure_reason IN ('goals_achieved', 'self_reliant', 'moved_away', 'declined', 'no_contact', 'period_ended', 'other')),
      ADD COLUMN closure_note text,
      ADD COLUMN eligibility_override_reason text,
      ADD COLUMN eligibility_overridden_by text,
      ADD CONSTRAINT cases_closed_with_reason CHECK ((status = 'closed') = (closure_reason IS NOT NULL AND closed_at IS NOT NULL))`);
    await q(`UPDATE cases SET period_ends_on = (opened_at AT TIME ZONE 'Europe/Berlin')::date + interval '36 months'`);
    await q(`ALTER TABLE cases ALTER COLUMN period_ends_on SET NOT NULL`);
    await q(`CREATE INDEX cases_client ON cases (client_id)`);
    await q(`CREATE INDEX cases_owner_period ON cases (owner_organization_id, period_ends_on)`);

    await q(`
      CREATE TABLE case_assignments (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        user_id text NOT NULL,
        owner_organization_id uuid NOT NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        assigned_by text,
        PRIMARY KEY (case_id, user_id)
      )`);
    await q(`CREATE INDEX case_assignments_user ON case_assignments (user_id)`);

    await q(`
      CREATE TABLE consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('counselling', 'data_sharing')),
        recipient_organization_id uuid,
        recipient_kind text,
        scope text[] NOT NULL DEFAULT '{}',
        purposes text[] NOT NULL DEFAULT '{}',
        text_version text NOT NULL CHECK (length(btrim(text_version)) > 0),
        explained_in text NOT NULL,
        given_on date NOT NULL,
        valid_until date,
        recorded_by text NOT NULL,
        revoked_at timestamptz,
        revocation_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (kind = 'counselling' OR (recipient_organization_id IS NOT NULL) <> (recipient_kind IS NOT NULL)),
        CHECK (kind = 'data_sharing' OR (recipient_organization_id IS NULL AND recipient_kind IS NULL))
      )`);
    await q(`CREATE INDEX consents_case ON consents (case_id, kind)`);

    await q(`
      CREATE TABLE integration_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
        schooling_years integer CHECK (schooling_years BETWEEN 0 AND 30),
        highest_schooling_isced integer CHECK (highest_schooling_isced BETWEEN 0 AND 8),
        vocational_qualification text,
        academic_degree text,
        recognition_status text CHECK (recognition_status IN ('not_applicable', 'not_started', 'in_progress', 'full', 'partial', 'rejected')),
        work_experience text,
        german_skills jsonb NOT NULL DEFAULT '{}',
        other_languages text[] NOT NULL DEFAULT '{}',
        driving_licence text,
        strengths text,
        last_reviewed_on date,
        next_review_due date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q(`
      CREATE TABLE goals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        plan_id uuid NOT NULL REFERENCES integration_plans(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        life_area text NOT NULL CHECK (life_area IN ('language', 'work', 'vocational_training', 'study', 'childcare', 'school', 'housing',
          'residence', 'health', 'leisure_clubs', 'social_participation', 'finances')),
        description text NOT NULL CHECK (length(btrim(description)) > 0),
        priority text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
        target_date date,
        status text NOT NULL CHECK (status IN ('open', 'in_progress', 'achieved', 'partly_achieved', 'not_achieved', 'dropped')),
        closed_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status IN ('achieved', 'partly_achieved', 'not_achieved', 'dropped')) = (closed_on IS NOT NULL))
      )`);
    await q(`CREATE INDEX goals_plan ON goals (plan_id, life_area)`);
    await q(`CREATE INDEX goals_case_open ON goals (case_id) WHERE status IN ('open', 'in_progress')`);
    await q(`
      CREATE TABLE measures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        goal_id uuid NOT NULL REFERENCES goals(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        description text NOT NULL CHECK (length(btrim(description)) > 0),
        responsible text NOT NULL CHECK (responsible IN ('client', 'integration_manager', 'partner')),
        partner_organization_id uuid,
        due_on date,
        done_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((responsible = 'partner') = (partner_organization_id IS NOT NULL))
      )`);
    await q(`CREATE INDEX measures_goal ON measures (goal_id)`);
    // Every change of a plan (profile, goals, measures, review) is one revision: who, when, what changed.
    await q(`
      CREATE TABLE plan_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        plan_id uuid NOT NULL REFERENCES integration_plans(id),
        case_id uuid NOT NULL REFERENCES cases(id),
        revision integer NOT NULL CHECK (revision > 0),
        author_user_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        summary text NOT NULL,
        changes jsonb NOT NULL,
        UNIQUE (plan_id, revision)
      )`);

    await q(`
      CREATE TABLE consultations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        case_id uuid NOT NULL REFERENCES cases(id),
        occurred_at timestamptz NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
        mode text NOT NULL CHECK (mode IN ('office', 'home_visit', 'phone', 'video', 'accompaniment', 'group')),
        life_areas text[] NOT NULL DEFAULT '{}',
        interpreter_used boolean NOT NULL DEFAULT false,
        interpreter_language text,
        note text,
        recorded_by text NOT NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        UNIQUE (owner_organization_id, idempotency_key)
      )`);
    await q(`CREATE INDEX consultations_case ON consultations (case_id, occurred_at DESC)`);

    // Row-level security.
    await q(`DROP POLICY cases_owner_staff ON cases`);
    await q(`
      CREATE POLICY cases_owner_staff ON cases
        USING (owner_organization_id = app_current_org() AND app_is_case_staff()
               AND (NOT restricted_to_assigned OR app_has_role('lead')
                    OR EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = cases.id AND a.user_id = app_current_user())))
        WITH CHECK (owner_organization_id = app_current_org() AND app_is_case_staff())`);
    const staff = `owner_organization_id = app_current_org() AND app_is_case_staff()`;
    for (const table of ['households', 'clients', 'household_children', 'case_assignments']) {
      for (const statement of forceRowLevelSecurity(table)) await q(statement);
      await q(`CREATE POLICY ${table}_owner_staff ON ${table} USING (${staff}) WITH CHECK (${staff})`);
    }
    const ofVisibleCase = (table: string) => `${staff} AND EXISTS (SELECT 1 FROM cases c WHERE c.id = ${table}.case_id)`;
    for (const table of ['consents', 'integration_plans', 'goals', 'measures', 'consultations']) {
      for (const statement of forceRowLevelSecurity(table)) await q(statement);
      await q(`CREATE POLICY ${table}_case_staff ON ${table} USING (${ofVisibleCase(table)}) WITH CHECK (${ofVisibleCase(table)})`);
    }
    // Append-only: read and insert, never update or delete.
    for (const statement of forceRowLevelSecurity('plan_revisions')) await q(statement);
    await q(`CREATE POLICY plan_revisions_read ON plan_revisions FOR SELECT USING (${ofVisibleCase('plan_revisions')})`);
    await q(`CREATE POLICY plan_revisions_append ON plan_revisions FOR INSERT WITH CHECK (${ofVisibleCase('plan_revisions')})`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['consultations', 'plan_revisions', 'measures', 'goals', 'integration_plans', 'consents', 'case_assignments']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP POLICY cases_owner_staff ON cases`);
    await db.query(`ALTER TABLE cases DROP CONSTRAINT cases_closed_with_reason, DROP COLUMN client_id, DROP COLUMN municipality_id,
      DROP COLUMN program_id, DROP COLUMN period_ends_on, DROP COLUMN extension_reason, DROP COLUMN restricted_to_assigned, DROP COLUMN closed_at,
      DROP COLUMN closure_reason, DROP COLUMN closure_note, DROP COLUMN eligibility_override_reason, DROP COLUMN eligibility_overridden_by`);
    await db.query(`
      CREATE POLICY cases_owner_staff ON cases
        USING (owner_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead')))
        WITH CHECK (owner_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead')))`);
    for (const table of ['household_children', 'clients', 'households', 'counselling_programs']) await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP FUNCTION app_is_case_staff()`);
  }
}
