import { forceRowLevelSecurity } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner directory after Open Referral HSDS (organization, location, contact, schedule, service area, service =
 * offering, taxonomy) plus the program's own concepts: responsibility for integration management, staffing,
 * funding and follow-up accommodation sites. Texts live in `translations`, one row per field and language.
 *
 * Access (row-level security, with the resolvers checking the same again):
 * - directory data: everyone reads; an organisation's `org_admin`s and `lead`s write their own entries,
 *   `coordinator`s write everywhere;
 * - internal contact points, accommodation sites: authenticated callers only;
 * - staffing and funding: coordinators, and the leads of the organisation concerned.
 */
export class DirectoryModel1763990000000 implements MigrationInterface {
  name = 'DirectoryModel1763990000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q(`
      CREATE FUNCTION app_may_edit(org uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR (org = app_current_org() AND (app_has_role('org_admin') OR app_has_role('lead')))
      $$`);
    await q(`CREATE FUNCTION app_authenticated() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT app_current_org() IS NOT NULL $$`);

    // Organisations: AGS by kind, languages, freshness; own administrators may now edit their entry.
    await q(`ALTER TABLE organizations
      ADD COLUMN languages_spoken text[] NOT NULL DEFAULT '{}',
      ADD COLUMN last_verified_at timestamptz,
      ADD COLUMN last_verified_by text,
      ADD CONSTRAINT organizations_ags_by_kind CHECK (
        (kind = 'municipality' AND official_municipality_key ~ '^[0-9]{8}$')
        OR (kind = 'district' AND official_municipality_key ~ '^[0-9]{5}$')
        OR (kind NOT IN ('municipality', 'district') AND official_municipality_key IS NULL))`);
    await q(`UPDATE organizations SET last_verified_at = created_at, last_verified_by = 'seed'`);
    await q(`DROP POLICY organizations_update ON organizations`);
    await q(`CREATE POLICY organizations_update ON organizations FOR UPDATE USING (app_may_edit(id)) WITH CHECK (app_may_edit(id))`);

    // Texts in several languages. entity_id is text: taxonomy terms have readable ids.
    await q(`
      CREATE TABLE translations (
        entity_type text NOT NULL CHECK (entity_type IN ('organization', 'offering', 'location', 'taxonomy_term')),
        entity_id text NOT NULL,
        field text NOT NULL CHECK (field ~ '^[a-z][a-zA-Z]*$'),
        lang text NOT NULL CHECK (lang IN ('de', 'de-simple', 'en', 'ar', 'fa', 'uk', 'tr', 'ru')),
        text text NOT NULL CHECK (length(btrim(text)) > 0),
        state text NOT NULL CHECK (state IN ('original', 'machine_translated', 'reviewed', 'outdated')),
        owner_organization_id uuid REFERENCES organizations(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text,
        PRIMARY KEY (entity_type, entity_id, field, lang)
      )`);
    await q(`CREATE UNIQUE INDEX translations_one_original ON translations (entity_type, entity_id, field) WHERE state = 'original'`);

    // Taxonomies: offering types and life areas; a district may add local terms (owner_organization_id).
    await q(`
      CREATE TABLE taxonomy_terms (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        scheme text NOT NULL CHECK (scheme IN ('offering_type', 'life_area')),
        parent_id text REFERENCES taxonomy_terms(id),
        uri text,
        owner_organization_id uuid REFERENCES organizations(id),
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);

    await q(`
      CREATE TABLE contact_points (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('phone', 'email', 'website')),
        value text NOT NULL CHECK (length(btrim(value)) > 0),
        label text,
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q(`CREATE INDEX contact_points_organization ON contact_points (organization_id, position)`);

    await q(`
      CREATE TABLE locations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        municipality_id uuid REFERENCES organizations(id),
        street text,
        postal_code text CHECK (postal_code ~ '^[0-9]{5}$'),
        city text NOT NULL CHECK (length(btrim(city)) > 0),
        latitude numeric(9, 6) CHECK (latitude BETWEEN -90 AND 90),
        longitude numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q(`CREATE INDEX locations_organization ON locations (organization_id)`);
    await q(`CREATE INDEX locations_municipality ON locations (municipality_id)`);
    await q(`
      CREATE TABLE opening_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        location_id uuid NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        opens time NOT NULL,
        closes time NOT NULL,
        CHECK (closes > opens)
      )`);
    await q(`CREATE INDEX opening_hours_location ON opening_hours (location_id, weekday, opens)`);

    await q(`
      CREATE TABLE organization_service_areas (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        PRIMARY KEY (organization_id, municipality_id)
      )`);
    await q(`CREATE INDEX organization_service_areas_municipality ON organization_service_areas (municipality_id)`);

    // Who provides integration management for a municipality, and how, over time (no overlapping periods).
    await q(`
      CREATE TABLE integration_management_responsibilities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        provider_organization_id uuid NOT NULL REFERENCES organizations(id),
        mode text NOT NULL CHECK (mode IN ('district', 'self', 'intermunicipal', 'delegated')),
        association_name text,
        valid_from date NOT NULL,
        valid_until date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (valid_until IS NULL OR valid_until >= valid_from),
        CHECK ((mode = 'intermunicipal') = (association_name IS NOT NULL)),
        CONSTRAINT responsibilities_no_overlap EXCLUDE USING gist (municipality_id WITH =, daterange(valid_from, valid_until, '[]') WITH &&)
      )`);
    await q(`CREATE INDEX responsibilities_provider ON integration_management_responsibilities (provider_organization_id)`);

    await q(`
      CREATE TABLE staffing_positions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_organization_id uuid NOT NULL REFERENCES organizations(id),
        valid_from date NOT NULL,
        valid_until date,
        full_time_equivalents numeric(7, 2) NOT NULL CHECK (full_time_equivalents >= 0),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (valid_until IS NULL OR valid_until >= valid_from),
        CONSTRAINT staffing_no_overlap EXCLUDE USING gist (provider_organization_id WITH =, daterange(valid_from, valid_until, '[]') WITH &&)
      )`);

    await q(`
      CREATE TABLE funding_allocations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        recipient_organization_id uuid REFERENCES organizations(id),
        program text NOT NULL CHECK (length(btrim(program)) > 0),
        period_start date NOT NULL,
        period_end date NOT NULL,
        amount_eur numeric(14, 2) NOT NULL CHECK (amount_eur >= 0),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (period_end >= period_start)
      )`);
    await q(`CREATE INDEX funding_municipality ON funding_allocations (municipality_id, period_start)`);

    // Follow-up accommodation (Anschlussunterbringung): no personal data, but addresses of where refugees live,
    // so authenticated callers only.
    await q(`
      CREATE TABLE accommodation_sites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        street text,
        postal_code text CHECK (postal_code ~ '^[0-9]{5}$'),
        capacity integer NOT NULL CHECK (capacity >= 0),
        opened_on date,
        closed_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on)
      )`);
    await q(`CREATE INDEX accommodation_sites_municipality ON accommodation_sites (municipality_id)`);

    // Offerings (HSDS: service): courses, workshops, counselling, group activities.
    await q(`
      CREATE TABLE offerings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        type_id text NOT NULL REFERENCES taxonomy_terms(id),
        location_id uuid REFERENCES locations(id),
        target_level text CHECK (target_level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')),
        starts_on date,
        ends_on date,
        sessions integer CHECK (sessions > 0),
        teaching_units integer CHECK (teaching_units > 0),
        seats_total integer CHECK (seats_total >= 0),
        seats_free integer CHECK (seats_free >= 0),
        instruction_languages text[] NOT NULL DEFAULT '{de}',
        support_languages text[] NOT NULL DEFAULT '{}',
        childcare boolean NOT NULL DEFAULT false,
        cost_eur numeric(10, 2) CHECK (cost_eur >= 0),
        status text NOT NULL CHECK (status IN ('planned', 'open', 'full', 'running', 'ended')),
        last_verified_at timestamptz,
        last_verified_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
        CHECK (seats_free IS NULL OR seats_total IS NULL OR seats_free <= seats_total)
      )`);
    await q(`CREATE INDEX offerings_organization ON offerings (organization_id)`);
    await q(`CREATE INDEX offerings_type_start ON offerings (type_id, starts_on, id)`);
    await q(`
      CREATE TABLE offering_life_areas (
        offering_id uuid NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
        life_area_id text NOT NULL REFERENCES taxonomy_terms(id),
        PRIMARY KEY (offering_id, life_area_id)
      )`);
    await q(`
      CREATE TABLE offering_service_areas (
        offering_id uuid NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
        municipality_id uuid NOT NULL REFERENCES organizations(id),
        PRIMARY KEY (offering_id, municipality_id)
      )`);
    await q(`CREATE INDEX offering_service_areas_municipality ON offering_service_areas (municipality_id)`);

    // Row-level security. Public directory tables: read for all, write for editors of the owning organisation.
    const directory: [string, string][] = [
      ['translations', 'owner_organization_id'],
      ['contact_points', 'organization_id'],
      ['locations', 'organization_id'],
      ['offerings', 'organization_id'],
      ['organization_service_areas', 'organization_id'],
    ];
    for (const [table, owner] of directory) {
      for (const statement of forceRowLevelSecurity(table)) await q(statement);
      const read = table === 'contact_points' ? `visibility = 'public' OR app_authenticated()` : 'true';
      await q(`CREATE POLICY ${table}_read ON ${table} FOR SELECT USING (${read})`);
      await q(`CREATE POLICY ${table}_write ON ${table} FOR ALL USING (app_may_edit(${owner})) WITH CHECK (app_may_edit(${owner}))`);
    }
    // Rows that belong to a parent row: writable when the parent's organisation may be edited.
    const children: [string, string][] = [
      ['opening_hours', `EXISTS (SELECT 1 FROM locations l WHERE l.id = location_id AND app_may_edit(l.organization_id))`],
      ['offering_life_areas', `EXISTS (SELECT 1 FROM offerings o WHERE o.id = offering_id AND app_may_edit(o.organization_id))`],
      ['offering_service_areas', `EXISTS (SELECT 1 FROM offerings o WHERE o.id = offering_id AND app_may_edit(o.organization_id))`],
    ];
    for (const [table, editable] of children) {
      for (const statement of forceRowLevelSecurity(table)) await q(statement);
      await q(`CREATE POLICY ${table}_read ON ${table} FOR SELECT USING (true)`);
      await q(`CREATE POLICY ${table}_write ON ${table} FOR ALL USING (${editable}) WITH CHECK (${editable})`);
    }
    for (const statement of forceRowLevelSecurity('taxonomy_terms')) await q(statement);
    await q(`CREATE POLICY taxonomy_terms_read ON taxonomy_terms FOR SELECT USING (true)`);
    await q(`CREATE POLICY taxonomy_terms_write ON taxonomy_terms FOR ALL USING (app_has_role('coordinator')) WITH CHECK (app_has_role('coordinator'))`);

    for (const statement of forceRowLevelSecurity('integration_management_responsibilities')) await q(statement);
    await q(`CREATE POLICY responsibilities_read ON integration_management_responsibilities FOR SELECT USING (true)`);
    await q(`CREATE POLICY responsibilities_write ON integration_management_responsibilities FOR ALL
      USING (app_has_role('coordinator')) WITH CHECK (app_has_role('coordinator'))`);

    for (const statement of forceRowLevelSecurity('accommodation_sites')) await q(statement);
    await q(`CREATE POLICY accommodation_sites_read ON accommodation_sites FOR SELECT USING (app_authenticated())`);
    await q(`CREATE POLICY accommodation_sites_write ON accommodation_sites FOR ALL USING (app_may_edit(municipality_id)) WITH CHECK (app_may_edit(municipality_id))`);

    // Internal figures: coordinators, and the leads of the organisation concerned.
    await q(`
      CREATE FUNCTION app_may_see_internal(org uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR (org = app_current_org() AND app_has_role('lead'))
      $$`);
    for (const statement of forceRowLevelSecurity('staffing_positions')) await q(statement);
    await q(`CREATE POLICY staffing_read ON staffing_positions FOR SELECT USING (app_may_see_internal(provider_organization_id))`);
    await q(`CREATE POLICY staffing_write ON staffing_positions FOR ALL USING (app_has_role('coordinator')) WITH CHECK (app_has_role('coordinator'))`);
    for (const statement of forceRowLevelSecurity('funding_allocations')) await q(statement);
    await q(`CREATE POLICY funding_read ON funding_allocations FOR SELECT
      USING (app_may_see_internal(municipality_id) OR app_may_see_internal(recipient_organization_id))`);
    await q(`CREATE POLICY funding_write ON funding_allocations FOR ALL USING (app_has_role('coordinator')) WITH CHECK (app_has_role('coordinator'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'offering_service_areas', 'offering_life_areas', 'offerings', 'accommodation_sites', 'funding_allocations', 'staffing_positions',
      'integration_management_responsibilities', 'organization_service_areas', 'opening_hours', 'locations', 'contact_points',
      'taxonomy_terms', 'translations',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION app_may_see_internal(uuid)`);
    await db.query(`DROP POLICY organizations_update ON organizations`);
    await db.query(`CREATE POLICY organizations_update ON organizations FOR UPDATE USING (app_has_role('coordinator')) WITH CHECK (app_has_role('coordinator'))`);
    await db.query(`ALTER TABLE organizations DROP CONSTRAINT organizations_ags_by_kind,
      DROP COLUMN languages_spoken, DROP COLUMN last_verified_at, DROP COLUMN last_verified_by`);
    await db.query(`DROP FUNCTION app_authenticated()`);
    await db.query(`DROP FUNCTION app_may_edit(uuid)`);
  }
}
