import { forceRowLevelSecurity, RLS_FUNCTIONS_V1 } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCases1763900000000 implements MigrationInterface {
  name = 'CreateCases1763900000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of RLS_FUNCTIONS_V1) await db.query(statement);
    await db.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_organization_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('intake','active','paused','closed')),
        opened_at timestamptz NOT NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        UNIQUE (owner_organization_id, idempotency_key)
      )`);
    await db.query(`CREATE INDEX cases_owner_opened ON cases (owner_organization_id, opened_at DESC, id)`);
    // Personal data: only the owning organisation's caseworkers and leads, and no one without a context.
    for (const statement of forceRowLevelSecurity('cases')) await db.query(statement);
    await db.query(`
      CREATE POLICY cases_owner_staff ON cases
        USING (owner_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead')))
        WITH CHECK (owner_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead')))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE cases`);
  }
}
