import { grantExecuteLikeTable } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows belong to a case (and so to the case's client). */
const CASE_TABLES = ['consents', 'integration_plans', 'goals', 'measures', 'consultations', 'plan_revisions', 'case_assignments'] as const;

/** Tables the retention worker reads and anonymises (plan revisions included: the only UPDATE they ever get). */
const RETAINED_TABLES = ['clients', 'cases', 'households', 'household_children', 'consents', 'integration_plans', 'goals', 'measures', 'consultations', 'plan_revisions'] as const;

/**
 * The data subjects' rights of Art. 17 and 18 GDPR (issue 7): restriction of processing, and erasure by
 * anonymisation (a lead's erasure request or the retention job). docs/cases.md and docs/security.md explain them.
 *
 * Restriction: a lead locks a client while a dispute is open (clients.processing_restricted_since). From then on the
 * client, the households the client belongs to, the client's cases and everything hanging off them are
 *  - readable only by the owning organisation's leads and auditors (RESTRICTIVE policies for everyone else; a
 *    PERMISSIVE one opens them to the organisation's auditors, who otherwise see no case data at all);
 *  - written by nobody (RESTRICTIVE insert/update/delete policies); the client row itself only by a lead, and then
 *    only its restriction columns (trigger clients_guard: lifting the restriction is the one change that remains).
 * SECURITY DEFINER helpers (app_client_restricted, app_case_restricted, app_household_restricted) read the client's
 * state whatever the caller may see, so the policies neither recurse nor depend on each other.
 *
 * Anonymisation: clients.anonymised_at; an anonymised client is never changed again (trigger clients_guard). Only the
 * service's own retention worker (role `retention-worker`, set by the service itself, never from a token) may
 * update the rows of other organisations' clients and the otherwise append-only plan revisions; a lead's erasure
 * request runs the same code as that worker, scoped to the lead's organisation (app_current_org() set).
 *
 * processing_restriction_of(kind, id) tells the organisation's case staff and auditors whether a record they
 * cannot see (or must not change) is locked, so that they get "processing restricted" instead of "not found".
 * consent_still_valid() answers false for the consents of restricted and anonymised clients: a partner's snapshot
 * is withdrawn on its next read (sharing is processing).
 */
export class DataSubjectRights1764600000000 implements MigrationInterface {
  name = 'DataSubjectRights1764600000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);

    await q(`ALTER TABLE clients
      ADD COLUMN processing_restricted_since timestamptz,
      ADD COLUMN processing_restriction_reason text
        CHECK (processing_restriction_reason IN ('accuracy_contested', 'unlawful_processing', 'legal_claims', 'objection_pending')),
      ADD COLUMN processing_restriction_note text,
      ADD COLUMN processing_restricted_by text,
      ADD COLUMN processing_restriction_lifted_at timestamptz,
      ADD COLUMN processing_restriction_lifted_by text,
      ADD COLUMN processing_restriction_lift_note text,
      ADD COLUMN anonymised_at timestamptz,
      ADD COLUMN anonymisation_reason text CHECK (anonymisation_reason IN ('retention', 'erasure_request')),
      ADD CONSTRAINT clients_restriction_complete
        CHECK ((processing_restricted_since IS NULL) = (processing_restriction_reason IS NULL AND processing_restricted_by IS NULL)),
      ADD CONSTRAINT clients_anonymisation_complete CHECK ((anonymised_at IS NULL) = (anonymisation_reason IS NULL)),
      ADD CONSTRAINT clients_anonymised_not_restricted CHECK (anonymised_at IS NULL OR processing_restricted_since IS NULL)`);
    await q(`CREATE INDEX clients_restricted ON clients (owner_organization_id, processing_restricted_since) WHERE processing_restricted_since IS NOT NULL`);
    // The retention job's candidates: clients not yet anonymised with their cases' closures.
    await q(`CREATE INDEX cases_client_closed ON cases (client_id, closed_at)`);

    // ------------------------------------------------------------------ helpers (read the state whatever the caller sees)
    const definer = `LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp`;
    await q(`CREATE FUNCTION app_client_restricted(client uuid) RETURNS boolean ${definer} AS $$
      SELECT EXISTS (SELECT 1 FROM clients cl WHERE cl.id = $1 AND cl.processing_restricted_since IS NOT NULL)
    $$`);
    await q(`CREATE FUNCTION app_case_restricted(case_id uuid) RETURNS boolean ${definer} AS $$
      SELECT EXISTS (SELECT 1 FROM cases k JOIN clients cl ON cl.id = k.client_id WHERE k.id = $1 AND cl.processing_restricted_since IS NOT NULL)
    $$`);
    await q(`CREATE FUNCTION app_household_restricted(household uuid) RETURNS boolean ${definer} AS $$
      SELECT EXISTS (SELECT 1 FROM clients cl WHERE cl.household_id = $1 AND cl.processing_restricted_since IS NOT NULL)
    $$`);
    for (const fn of ['app_client_restricted(uuid)', 'app_case_restricted(uuid)', 'app_household_restricted(uuid)']) {
      for (const statement of grantExecuteLikeTable(fn, 'clients')) await q(statement);
    }
    await q(`CREATE FUNCTION app_may_read_restricted() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT app_has_role('lead') OR app_has_role('auditor') $$`);
    // The retention worker: every organisation (the job), or one (a lead's erasure request runs with its organisation).
    await q(`CREATE FUNCTION app_is_retention_worker_for(organization uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT app_has_role('retention-worker') AND (app_current_org() IS NULL OR $1 = app_current_org())
    $$`);

    // ------------------------------------------------------------------ restriction: reads
    const readable = (locked: string) => `NOT ${locked} OR app_may_read_restricted()`;
    const auditor = `owner_organization_id = app_current_org() AND app_has_role('auditor')`;
    await q(`CREATE POLICY clients_restricted_read ON clients AS RESTRICTIVE FOR SELECT USING (${readable('(processing_restricted_since IS NOT NULL)')})`);
    await q(`CREATE POLICY clients_auditor_read ON clients FOR SELECT USING (${auditor} AND processing_restricted_since IS NOT NULL)`);
    await q(`CREATE POLICY cases_restricted_read ON cases AS RESTRICTIVE FOR SELECT USING (${readable('app_client_restricted(client_id)')})`);
    await q(`CREATE POLICY cases_auditor_read ON cases FOR SELECT USING (${auditor} AND app_client_restricted(client_id))`);
    for (const table of ['households', 'household_children']) {
      const household = table === 'households' ? 'id' : 'household_id';
      await q(`CREATE POLICY ${table}_restricted_read ON ${table} AS RESTRICTIVE FOR SELECT USING (${readable(`app_household_restricted(${household})`)})`);
      await q(`CREATE POLICY ${table}_auditor_read ON ${table} FOR SELECT USING (${auditor} AND app_household_restricted(${household}))`);
    }
    for (const table of CASE_TABLES) {
      await q(`CREATE POLICY ${table}_restricted_read ON ${table} AS RESTRICTIVE FOR SELECT USING (${readable(`app_case_restricted(case_id)`)})`);
      // The auditor sees what belongs to a case exactly when the case's client is restricted (like the case itself). A
      // function, not a subquery on cases: the cases policy reads case_assignments, and policies must not recurse.
      await q(`CREATE POLICY ${table}_auditor_read ON ${table} FOR SELECT USING (${auditor} AND app_case_restricted(case_id))`);
    }

    // ------------------------------------------------------------------ restriction: writes (nobody)
    const writes = async (table: string, notLocked: string) => {
      await q(`CREATE POLICY ${table}_restricted_insert ON ${table} AS RESTRICTIVE FOR INSERT WITH CHECK (${notLocked})`);
      await q(`CREATE POLICY ${table}_restricted_update ON ${table} AS RESTRICTIVE FOR UPDATE USING (${notLocked}) WITH CHECK (${notLocked})`);
      await q(`CREATE POLICY ${table}_restricted_delete ON ${table} AS RESTRICTIVE FOR DELETE USING (${notLocked})`);
    };
    await writes('cases', 'NOT app_client_restricted(client_id)');
    await writes('households', 'NOT app_household_restricted(id)');
    await writes('household_children', 'NOT app_household_restricted(household_id)');
    for (const table of CASE_TABLES) await writes(table, 'NOT app_case_restricted(case_id)');
    // The client row: created unrestricted and not anonymised; restricted ones touched by leads only (to lift the
    // restriction, trigger clients_guard), never deleted.
    await q(`CREATE POLICY clients_restricted_insert ON clients AS RESTRICTIVE FOR INSERT
      WITH CHECK (processing_restricted_since IS NULL AND anonymised_at IS NULL)`);
    await q(`CREATE POLICY clients_restricted_update ON clients AS RESTRICTIVE FOR UPDATE
      USING (processing_restricted_since IS NULL OR app_has_role('lead'))
      WITH CHECK (processing_restricted_since IS NULL OR app_has_role('lead'))`);
    await q(`CREATE POLICY clients_restricted_delete ON clients AS RESTRICTIVE FOR DELETE USING (processing_restricted_since IS NULL AND anonymised_at IS NULL)`);
    await q(`
      CREATE FUNCTION clients_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unchecked text[] := ARRAY['version', 'updated_at', 'processing_restriction_reason', 'processing_restriction_note'];
      BEGIN
        IF OLD.anonymised_at IS NOT NULL THEN
          RAISE EXCEPTION 'client % was anonymised on %: it does not change any more', OLD.id, OLD.anonymised_at USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.processing_restricted_since IS NOT NULL AND NEW.processing_restricted_since IS NOT NULL
           AND (to_jsonb(NEW) - unchecked) IS DISTINCT FROM (to_jsonb(OLD) - unchecked) THEN
          RAISE EXCEPTION 'the processing of client % is restricted (Art. 18 GDPR): only lifting the restriction may change it', OLD.id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q(`CREATE TRIGGER clients_guard BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION clients_guard()`);

    // ------------------------------------------------------------------ anonymisation: the retention worker
    for (const table of RETAINED_TABLES) {
      await q(`CREATE POLICY ${table}_retention_read ON ${table} FOR SELECT USING (app_is_retention_worker_for(owner_organization_id))`);
      await q(`CREATE POLICY ${table}_retention_update ON ${table} FOR UPDATE
        USING (app_is_retention_worker_for(owner_organization_id)) WITH CHECK (app_is_retention_worker_for(owner_organization_id))`);
    }

    // ------------------------------------------------------------------ "restricted" rather than "not found"
    await q(`
      CREATE FUNCTION processing_restriction_of(kind text, record uuid) RETURNS TABLE (client_id uuid, restricted_since timestamptz)
        ${definer} AS $$
        WITH owner AS (
          SELECT cl.id, cl.processing_restricted_since, cl.owner_organization_id FROM clients cl WHERE $1 = 'Client' AND cl.id = $2
          UNION ALL
          SELECT cl.id, cl.processing_restricted_since, cl.owner_organization_id FROM clients cl WHERE $1 = 'Household' AND cl.household_id = $2
          UNION ALL
          SELECT cl.id, cl.processing_restricted_since, cl.owner_organization_id
            FROM household_children h JOIN clients cl ON cl.household_id = h.household_id WHERE $1 = 'HouseholdChild' AND h.id = $2
          UNION ALL
          SELECT cl.id, cl.processing_restricted_since, cl.owner_organization_id
            FROM cases k JOIN clients cl ON cl.id = k.client_id
           WHERE k.id = CASE $1
             WHEN 'Case' THEN $2
             WHEN 'Consent' THEN (SELECT x.case_id FROM consents x WHERE x.id = $2)
             WHEN 'IntegrationPlan' THEN (SELECT x.case_id FROM integration_plans x WHERE x.id = $2)
             WHEN 'Goal' THEN (SELECT x.case_id FROM goals x WHERE x.id = $2)
             WHEN 'Measure' THEN (SELECT x.case_id FROM measures x WHERE x.id = $2)
             WHEN 'Consultation' THEN (SELECT x.case_id FROM consultations x WHERE x.id = $2)
           END
        )
        SELECT id, processing_restricted_since FROM owner
         WHERE processing_restricted_since IS NOT NULL AND owner_organization_id = app_current_org()
           AND (app_is_case_staff() OR app_has_role('auditor'))
         ORDER BY processing_restricted_since, id
         LIMIT 1
      $$`);
    for (const statement of grantExecuteLikeTable('processing_restriction_of(text, uuid)', 'clients')) await q(statement);

    // ------------------------------------------------------------------ consents of locked or anonymised clients share nothing
    await q(consentStillValid(`
             AND NOT EXISTS (
               SELECT 1 FROM cases k JOIN clients cl ON cl.id = k.client_id
                WHERE k.id = s.case_id AND (cl.processing_restricted_since IS NOT NULL OR cl.anonymised_at IS NOT NULL))`));
  }

  async down(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(consentStillValid(''));
    await q(`DROP FUNCTION processing_restriction_of(text, uuid)`);
    for (const table of RETAINED_TABLES) {
      await q(`DROP POLICY ${table}_retention_read ON ${table}`);
      await q(`DROP POLICY ${table}_retention_update ON ${table}`);
    }
    await q(`DROP TRIGGER clients_guard ON clients`);
    await q(`DROP FUNCTION clients_guard()`);
    for (const table of ['clients', 'cases', 'households', 'household_children', ...CASE_TABLES]) {
      for (const policy of ['restricted_read', 'auditor_read', 'restricted_insert', 'restricted_update', 'restricted_delete']) {
        await q(`DROP POLICY ${table}_${policy} ON ${table}`);
      }
    }
    for (const fn of ['app_is_retention_worker_for(uuid)', 'app_may_read_restricted()', 'app_household_restricted(uuid)', 'app_case_restricted(uuid)', 'app_client_restricted(uuid)']) {
      await q(`DROP FUNCTION ${fn}`);
    }
    await q(`DROP INDEX cases_client_closed`);
    await q(`DROP INDEX clients_restricted`);
    await q(`ALTER TABLE clients DROP CONSTRAINT clients_restriction_complete, DROP CONSTRAINT clients_anonymisation_complete,
      DROP CONSTRAINT clients_anonymised_not_restricted, DROP COLUMN processing_restricted_since, DROP COLUMN processing_restriction_reason,
      DROP COLUMN processing_restriction_note, DROP COLUMN processing_restricted_by, DROP COLUMN processing_restriction_lifted_at,
      DROP COLUMN processing_restriction_lifted_by, DROP COLUMN processing_restriction_lift_note, DROP COLUMN anonymised_at, DROP COLUMN anonymisation_reason`);
  }
}

/** consent_still_valid as created by migration 1764100000000, with `extra` conditions on the data-sharing consent `s`. */
function consentStillValid(extra: string): string {
  return `
      CREATE OR REPLACE FUNCTION consent_still_valid(consent uuid, recipient_kind text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (
          SELECT 1 FROM consents s
           WHERE s.id = $1 AND s.kind = 'data_sharing' AND s.revoked_at IS NULL
             AND s.given_on <= (now() AT TIME ZONE 'Europe/Berlin')::date
             AND (s.valid_until IS NULL OR s.valid_until >= (now() AT TIME ZONE 'Europe/Berlin')::date)
             AND (s.recipient_organization_id = app_current_org() OR (s.recipient_kind IS NOT NULL AND s.recipient_kind = $2))
             AND EXISTS (
               SELECT 1 FROM consents c
                WHERE c.case_id = s.case_id AND c.kind = 'counselling' AND c.revoked_at IS NULL
                  AND c.given_on <= (now() AT TIME ZONE 'Europe/Berlin')::date
                  AND (c.valid_until IS NULL OR c.valid_until >= (now() AT TIME ZONE 'Europe/Berlin')::date))${extra})
      $$`;
}