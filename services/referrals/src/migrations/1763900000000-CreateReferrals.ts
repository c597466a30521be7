import { forceRowLevelSecurity, RLS_FUNCTIONS_V1 } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReferrals1763900000000 implements MigrationInterface {
  name = 'CreateReferrals1763900000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of RLS_FUNCTIONS_V1) await db.query(statement);
    await db.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL,
        sender_organization_id uuid NOT NULL,
        receiver_organization_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('draft','sent','received','accepted','declined','waitlisted','scheduled',
          'in_progress','on_hold','completed','failed','cancelled','no_show','expired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (sender_organization_id <> receiver_organization_id)
      )`);
    await db.query(`CREATE INDEX referrals_case ON referrals (case_id, created_at DESC)`);
    await db.query(`CREATE INDEX referrals_sender ON referrals (sender_organization_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX referrals_receiver ON referrals (receiver_organization_id, created_at DESC, id)`);
    // The sending organisation's case staff see their referrals; the receiving partner sees what was sent to it
    // (never drafts); nobody else, and no one without a context.
    for (const statement of forceRowLevelSecurity('referrals')) await db.query(statement);
    await db.query(`
      CREATE POLICY referrals_sender_staff ON referrals
        USING (sender_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead')))
        WITH CHECK (sender_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead')))`);
    await db.query(`
      CREATE POLICY referrals_receiver_read ON referrals FOR SELECT
        USING (receiver_organization_id = app_current_org() AND app_has_role('partner') AND status <> 'draft')`);
    await db.query(`
      CREATE POLICY referrals_receiver_update ON referrals FOR UPDATE
        USING (receiver_organization_id = app_current_org() AND app_has_role('partner') AND status <> 'draft')
        WITH CHECK (receiver_organization_id = app_current_org() AND app_has_role('partner') AND status <> 'draft')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE referrals`);
  }
}
