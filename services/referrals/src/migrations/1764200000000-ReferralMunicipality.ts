import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The municipality the client lived in when the referral was sent (from the case), so that referral figures can be
 * compared per municipality (issue: cooperation meetings) without asking the cases subgraph row by row.
 */
export class ReferralMunicipality1764200000000 implements MigrationInterface {
  name = 'ReferralMunicipality1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE referrals ADD COLUMN municipality_id uuid`);
    await db.query(`CREATE INDEX referrals_municipality_sent ON referrals (municipality_id, sent_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE referrals DROP COLUMN municipality_id`);
  }
}
