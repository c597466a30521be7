import { forceRowLevelSecurity, RLS_FUNCTIONS_V1 } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrganizations1763900000000 implements MigrationInterface {
  name = 'CreateOrganizations1763900000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of RLS_FUNCTIONS_V1) await db.query(statement);
    await db.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        kind text NOT NULL CHECK (kind IN ('district','municipality','welfare_organization','jobcenter','employment_agency',
          'language_course_provider','immigration_office','migration_counselling','youth_migration_service','volunteer_group',
          'school_authority','health_service','other')),
        official_municipality_key text UNIQUE CHECK (official_municipality_key ~ '^[0-9]{5}([0-9]{3})?$'),
        parent_id uuid REFERENCES organizations(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await db.query(`CREATE INDEX organizations_kind_name ON organizations (kind, name, id)`);
    await db.query(`CREATE INDEX organizations_parent ON organizations (parent_id)`);
    // Directory data is public; only coordinators change it.
    for (const statement of forceRowLevelSecurity('organizations')) await db.query(statement);
    await db.query(`CREATE POLICY organizations_read ON organizations FOR SELECT USING (true)`);
    await db.query(`CREATE POLICY organizations_insert ON organizations FOR INSERT WITH CHECK (app_has_role('coordinator'))`);
    await db.query(`CREATE POLICY organizations_update ON organizations FOR UPDATE USING (app_has_role('coordinator')) WITH CHECK (app_has_role('coordinator'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE organizations`);
  }
}
