import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention of referrals (issue 7, Art. 5 (1) (e) GDPR): a referral closed longer than REFERRAL_RETENTION_MONTHS
 * loses the client's snapshot and every free text (the reason for the referral, comments, reason texts, the
 * outcome's certificate and note, in the referral, its history and its notifications), while status, dates, codes
 * and the history's steps stay, so that the referral figures of past periods come out the same. `anonymised_at`
 * says it happened (and makes the job idempotent).
 *
 * Only the service's own retention worker (role `retention-worker`, set by the service itself, never from a token)
 * may do it: it reads and updates referrals, the otherwise append-only events and the outbox.
 */
export class ReferralRetention1764600000000 implements MigrationInterface {
  name = 'ReferralRetention1764600000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`ALTER TABLE referrals ADD COLUMN anonymised_at timestamptz`);
    await q(`CREATE INDEX referrals_retention ON referrals (closed_at) WHERE anonymised_at IS NULL AND closed_at IS NOT NULL`);
    for (const table of ['referrals', 'referral_events', 'outbox']) {
      await q(`CREATE POLICY ${table}_retention_read ON ${table} FOR SELECT USING (app_has_role('retention-worker'))`);
      await q(`CREATE POLICY ${table}_retention_update ON ${table} FOR UPDATE USING (app_has_role('retention-worker')) WITH CHECK (app_has_role('retention-worker'))`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['referrals', 'referral_events', 'outbox']) {
      await db.query(`DROP POLICY ${table}_retention_read ON ${table}`);
      await db.query(`DROP POLICY ${table}_retention_update ON ${table}`);
    }
    await db.query(`DROP INDEX referrals_retention`);
    await db.query(`ALTER TABLE referrals DROP COLUMN anonymised_at`);
  }
}
