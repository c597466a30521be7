import { AUDIT_TRAIL_V1, AUDIT_TRAIL_V1_DOWN, grantExecuteLikeTable } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (issue 7): append-only, hash-chained entries of every read of personal data and every change in
 * this database (packages/common/src/audit/sql.ts). Plus the one question the trail needs answered about rows the
 * reader may not see: which cases belong to a client. Auditors are not case staff, so row-level security hides the
 * cases from them; this SECURITY DEFINER function returns the case ids (nothing else) of a client of the caller's
 * own organisation, for auditors and leads only.
 */
export class AuditTrail1764500000000 implements MigrationInterface {
  name = 'AuditTrail1764500000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of AUDIT_TRAIL_V1) await db.query(statement);
    await db.query(`
      CREATE FUNCTION audit_case_ids_of_client(client uuid) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT c.id FROM cases c
         WHERE c.client_id = $1 AND c.owner_organization_id = app_current_org()
           AND (app_has_role('auditor') OR app_has_role('lead'))
         ORDER BY c.opened_at, c.id
      $$`);
    for (const statement of grantExecuteLikeTable('audit_case_ids_of_client(uuid)', 'cases')) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION audit_case_ids_of_client(uuid)`);
    for (const statement of AUDIT_TRAIL_V1_DOWN) await db.query(statement);
  }
}
