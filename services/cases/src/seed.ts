import { DEMO_CASES, Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';

/** Idempotent: inserts the demo cases that are missing, never overwrites. */
export async function seedDemoData(manager: EntityManager, logger: Logger): Promise<void> {
  let inserted = 0;
  for (const demo of DEMO_CASES) {
    const result = await manager.query(
      `INSERT INTO cases (id, owner_organization_id, status, opened_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [demo.id, demo.ownerOrganizationId, demo.status, demo.openedAt],
    );
    inserted += result.length;
  }
  logger.info({ inserted, total: DEMO_CASES.length }, 'cases demo data');
}
