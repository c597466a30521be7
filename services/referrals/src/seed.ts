import { DEMO_REFERRALS, Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';

/** Idempotent: inserts the demo referrals that are missing, never overwrites. */
export async function seedDemoData(manager: EntityManager, logger: Logger): Promise<void> {
  let inserted = 0;
  for (const demo of DEMO_REFERRALS) {
    const result = await manager.query(
      `INSERT INTO referrals (id, case_id, sender_organization_id, receiver_organization_id, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [demo.id, demo.caseId, demo.senderOrganizationId, demo.receiverOrganizationId, demo.status, demo.createdAt],
    );
    inserted += result.length;
  }
  logger.info({ inserted, total: DEMO_REFERRALS.length }, 'referrals demo data');
}
