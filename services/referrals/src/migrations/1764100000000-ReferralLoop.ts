import { forceRowLevelSecurity } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The closed loop: referral details, the consented snapshot, deadlines and outcomes; every transition as an
 * append-only event; an outbox written in the same transaction and delivered to partners' webhooks.
 *
 * Access: a referral and its events are visible to the sending organisation's case staff and the receiving
 * organisation's partner staff (never drafts), nobody else. The outbox and webhook deliveries are read by the
 * delivery worker only (role `outbox-worker`, set by the service itself, never from a token); organisations manage
 * their own webhook subscriptions (org_admin, lead).
 */
export class ReferralLoop1764100000000 implements MigrationInterface {
  name = 'ReferralLoop1764100000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`ALTER TABLE referrals
      ADD COLUMN receiver_kind text,
      ADD COLUMN offering_id uuid,
      ADD COLUMN life_area text CHECK (life_area IN ('language', 'work', 'vocational_training', 'study', 'childcare', 'school', 'housing',
        'residence', 'health', 'leisure_clubs', 'social_participation', 'finances')),
      ADD COLUMN goal_id uuid,
      ADD COLUMN reason text,
      ADD COLUMN urgency text NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'urgent', 'asap')),
      ADD COLUMN requested_start date,
      ADD COLUMN idempotency_key text,
      ADD COLUMN payload_hash text,
      ADD COLUMN sent_at timestamptz,
      ADD COLUMN response_due_at timestamptz,
      ADD COLUMN first_response_at timestamptz,
      ADD COLUMN started_at timestamptz,
      ADD COLUMN closed_at timestamptz,
      ADD COLUMN waitlist_position integer CHECK (waitlist_position > 0),
      ADD COLUMN expected_start date,
      ADD COLUMN scheduled_start date,
      ADD COLUMN reason_code text,
      ADD COLUMN reason_text text,
      ADD COLUMN outcome jsonb,
      ADD COLUMN consent_id uuid,
      ADD COLUMN snapshot jsonb,
      ADD COLUMN snapshot_scope text[] NOT NULL DEFAULT '{}',
      ADD COLUMN snapshot_taken_at timestamptz,
      ADD COLUMN snapshot_withdrawn_at timestamptz`);
    // Referrals closed before outcomes were recorded: say so rather than invent one.
    await q(`UPDATE referrals SET outcome = '{"code": "not_recorded"}' WHERE status = 'completed' AND outcome IS NULL`);
    await q(`UPDATE referrals SET reason_code = 'not_recorded' WHERE status IN ('declined', 'failed', 'cancelled') AND reason_code IS NULL`);
    await q(`ALTER TABLE referrals
      ADD CONSTRAINT referrals_idempotency UNIQUE (sender_organization_id, idempotency_key),
      ADD CONSTRAINT referrals_closed_loop CHECK (
        status NOT IN ('completed') OR outcome IS NOT NULL),
      ADD CONSTRAINT referrals_closed_reason CHECK (
        status NOT IN ('declined', 'failed', 'cancelled') OR reason_code IS NOT NULL)`);
    await q(`UPDATE referrals SET sent_at = created_at WHERE status <> 'draft'`);
    await q(`CREATE INDEX referrals_receiver_status ON referrals (receiver_organization_id, status, created_at DESC)`);
    await q(`CREATE INDEX referrals_offering ON referrals (offering_id) WHERE offering_id IS NOT NULL`);

    // Every transition, by whom and when; the history of a referral. Append-only.
    await q(`
      CREATE TABLE referral_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referrals(id),
        sender_organization_id uuid NOT NULL,
        receiver_organization_id uuid NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_user_id text NOT NULL,
        actor_organization_id uuid,
        actor_side text NOT NULL CHECK (actor_side IN ('sender', 'receiver', 'system')),
        comment text,
        details jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q(`CREATE INDEX referral_events_referral ON referral_events (referral_id, occurred_at)`);

    // Outbox: written in the transaction of the change, delivered afterwards (at least once).
    await q(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL REFERENCES referral_events(id),
        referral_id uuid NOT NULL,
        recipient_organization_id uuid NOT NULL,
        sender_organization_id uuid NOT NULL,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'undeliverable', 'no_subscription')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        delivered_at timestamptz,
        last_status_code integer,
        last_error text
      )`);
    await q(`CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'`);
    await q(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        url text NOT NULL CHECK (url ~ '^https?://'),
        secret text NOT NULL CHECK (length(secret) >= 32),
        active boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q(`CREATE UNIQUE INDEX webhook_subscriptions_one_active ON webhook_subscriptions (organization_id) WHERE active`);
    await q(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        outbox_id bigint NOT NULL REFERENCES outbox(id),
        subscription_id uuid REFERENCES webhook_subscriptions(id),
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        status_code integer,
        error text,
        duration_ms integer
      )`);
    await q(`CREATE INDEX webhook_deliveries_outbox ON webhook_deliveries (outbox_id)`);
    await q(`CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, attempted_at DESC)`);

    // Row-level security.
    const sender = `sender_organization_id = app_current_org() AND (app_has_role('caseworker') OR app_has_role('lead'))`;
    const receiver = `receiver_organization_id = app_current_org() AND app_has_role('partner')`;
    for (const statement of forceRowLevelSecurity('referral_events')) await q(statement);
    await q(`CREATE POLICY referral_events_read ON referral_events FOR SELECT
      USING (${sender} OR (${receiver} AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id)))`);
    await q(`CREATE POLICY referral_events_append ON referral_events FOR INSERT WITH CHECK (${sender} OR ${receiver} OR app_has_role('outbox-worker'))`);
    // The deadline job (role outbox-worker) expires referrals nobody answered.
    await q(`CREATE POLICY referrals_worker ON referrals USING (app_has_role('outbox-worker')) WITH CHECK (app_has_role('outbox-worker'))`);
    await q(`CREATE POLICY referral_events_worker_read ON referral_events FOR SELECT USING (app_has_role('outbox-worker'))`);

    for (const statement of forceRowLevelSecurity('outbox')) await q(statement);
    // Either side of a referral it may see writes notifications about it (for the other side).
    await q(`CREATE POLICY outbox_append ON outbox FOR INSERT WITH CHECK (
      EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id) OR app_has_role('outbox-worker'))`);
    await q(`CREATE POLICY outbox_worker ON outbox USING (app_has_role('outbox-worker')) WITH CHECK (app_has_role('outbox-worker'))`);
    for (const statement of forceRowLevelSecurity('webhook_deliveries')) await q(statement);
    await q(`CREATE POLICY webhook_deliveries_worker ON webhook_deliveries USING (app_has_role('outbox-worker')) WITH CHECK (app_has_role('outbox-worker'))`);
    await q(`CREATE POLICY webhook_deliveries_own ON webhook_deliveries FOR SELECT USING (
      EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = subscription_id))`);
    for (const statement of forceRowLevelSecurity('webhook_subscriptions')) await q(statement);
    const admin = `organization_id = app_current_org() AND (app_has_role('org_admin') OR app_has_role('lead'))`;
    await q(`CREATE POLICY webhook_subscriptions_own ON webhook_subscriptions USING (${admin}) WITH CHECK (${admin})`);
    await q(`CREATE POLICY webhook_subscriptions_worker ON webhook_subscriptions FOR SELECT USING (app_has_role('outbox-worker'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['webhook_deliveries', 'webhook_subscriptions', 'outbox', 'referral_events']) await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP POLICY referrals_worker ON referrals`);
    await db.query(`ALTER TABLE referrals DROP CONSTRAINT referrals_idempotency, DROP CONSTRAINT referrals_closed_loop, DROP CONSTRAINT referrals_closed_reason,
      DROP COLUMN receiver_kind, DROP COLUMN offering_id, DROP COLUMN life_area, DROP COLUMN goal_id, DROP COLUMN reason, DROP COLUMN urgency,
      DROP COLUMN requested_start, DROP COLUMN idempotency_key, DROP COLUMN payload_hash, DROP COLUMN sent_at, DROP COLUMN response_due_at,
      DROP COLUMN first_response_at, DROP COLUMN started_at, DROP COLUMN closed_at, DROP COLUMN waitlist_position, DROP COLUMN expected_start,
      DROP COLUMN scheduled_start, DROP COLUMN reason_code, DROP COLUMN reason_text, DROP COLUMN outcome, DROP COLUMN consent_id,
      DROP COLUMN snapshot, DROP COLUMN snapshot_scope, DROP COLUMN snapshot_taken_at, DROP COLUMN snapshot_withdrawn_at`);
  }
}
