import { AUDIT_TRAIL_V1, AUDIT_TRAIL_V1_DOWN } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail (issue 7): append-only, hash-chained entries of this database (packages/common/src/audit/sql.ts). */
export class AuditTrail1764500000000 implements MigrationInterface {
  name = 'AuditTrail1764500000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of AUDIT_TRAIL_V1) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of AUDIT_TRAIL_V1_DOWN) await db.query(statement);
  }
}
