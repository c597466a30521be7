import { grantExecuteLikeTable } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets a receiving partner learn, and only learn, whether a data-sharing consent given to it still holds, so that
 * the referrals subgraph can withdraw a snapshot the moment consent is revoked. Row-level security hides consents
 * from partners (they are not case staff); this SECURITY DEFINER function answers one yes/no per consent id, for the
 * caller's own organisation as recipient (app_current_org(), not a parameter), and nothing else.
 */
export class ConsentCheckForRecipients1764100000000 implements MigrationInterface {
  name = 'ConsentCheckForRecipients1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Parameters by position: in a SQL function a column of the same name would win over the parameter's name.
      CREATE FUNCTION consent_still_valid(consent uuid, recipient_kind text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (
          SELECT 1 FROM consents s
           WHERE s.id = $1 AND s.kind = 'data_sharing' AND s.revoked_at IS NULL
             AND s.given_on <= (now() AT TIME ZONE 'Europe/Berlin')::date
             AND (s.valid_until IS NULL OR s.valid_until >= (now() AT TIME ZONE 'Europe/Berlin')::date)
             AND (s.recipient_organization_id = app_current_org() OR (s.recipient_kind IS NOT NULL AND s.recipient_kind = $2))
             AND EXISTS (
               SELECT 1 FROM consents c
                WHERE c.case_id = s.case_id AND c.kind = 'counselling' AND c.revoked_at IS NULL
                  AND c.given_on <= (now() AT TIME ZONE 'Europe/Berlin')::date
                  AND (c.valid_until IS NULL OR c.valid_until >= (now() AT TIME ZONE 'Europe/Berlin')::date)))
      $$`);
    // Only the application role may call it: default privileges of this project cover tables and sequences only.
    for (const statement of grantExecuteLikeTable('consent_still_valid(uuid, text)', 'consents')) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION consent_still_valid(uuid, text)`);
  }
}
