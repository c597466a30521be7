import { AUDIT_TRAIL_V2, AUDIT_TRAIL_V2_DOWN } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail chained shortly after the requests instead of in them (packages/common/src/audit/sql.ts, V2). */
export class AuditChainAsync1764800000000 implements MigrationInterface {
  name = 'AuditChainAsync1764800000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of AUDIT_TRAIL_V2) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of AUDIT_TRAIL_V2_DOWN) await db.query(statement);
  }
}
