import { forceRowLevelSecurity } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cooperation meetings (Kooperationstreffen) of a district with their participants, minutes and decisions, and the
 * standards adopted there: a metric, a target and a direction, valid from/until. One district has at most one valid
 * standard per metric on any day (exclusion constraint standards_no_overlap).
 *
 * Access (row-level security, with the resolvers checking the same again): every authenticated caller reads ("everyone
 * in the cooperation"); only the coordinators of the district itself write (a coordinator's organisation is the
 * district): app_is_district_coordinator(district_id). Participants follow their meeting.
 *
 * The metric keys are written out here, not imported, so that this migration keeps meaning the same when the list in
 * src/standards/metrics.ts grows (a new metric needs a new migration that replaces standards_metric_known).
 */
const METRIC_KEYS_V1 = [
  'active_cases',
  'cases_per_full_time_position',
  'share_active_cases_with_plan',
  'median_days_to_first_plan',
  'share_plans_reviewed_within_six_months',
  'share_goals_achieved',
  'share_home_visits',
  'share_cases_reaching_limit',
  'referrals_sent',
  'share_referrals_answered_in_time',
  'median_days_to_first_response',
  'median_days_to_start',
  'acceptance_rate',
  'completion_rate',
  'no_show_rate',
  'expiry_rate',
  'share_language_courses_b1_or_higher',
];

/** Metrics whose values are proportions between 0 and 1 (kind "share" in src/standards/metrics.ts). */
const SHARE_METRICS_V1 = METRIC_KEYS_V1.filter((key) => key.startsWith('share_') || key.endsWith('_rate'));

const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

export class CooperationStandards1764200000000 implements MigrationInterface {
  name = 'CooperationStandards1764200000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    await q(`
      CREATE FUNCTION app_is_district_coordinator(district uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') AND district = app_current_org()
      $$`);
    // A CHECK cannot look at another table: the district of a meeting or standard must be an organisation of kind
    // district (SQLSTATE 23514, check_violation).
    await q(`
      CREATE FUNCTION app_require_district() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM organizations WHERE id = NEW.district_id AND kind = 'district') THEN
          RAISE EXCEPTION 'organisation % is not a district', NEW.district_id
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_district_is_district';
        END IF;
        RETURN NEW;
      END
      $$`);

    await q(`
      CREATE TABLE cooperation_meetings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES organizations(id),
        held_on date NOT NULL,
        title text NOT NULL CHECK (length(btrim(title)) > 0),
        location text,
        minutes text,
        decisions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT cooperation_meetings_id_district UNIQUE (id, district_id)
      )`);
    await q(`CREATE INDEX cooperation_meetings_district_held_on ON cooperation_meetings (district_id, held_on DESC, id DESC)`);
    await q(`CREATE TRIGGER cooperation_meetings_district BEFORE INSERT OR UPDATE OF district_id ON cooperation_meetings
      FOR EACH ROW EXECUTE FUNCTION app_require_district()`);

    await q(`
      CREATE TABLE cooperation_meeting_participants (
        meeting_id uuid NOT NULL REFERENCES cooperation_meetings(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id),
        PRIMARY KEY (meeting_id, organization_id)
      )`);
    await q(`CREATE INDEX cooperation_meeting_participants_organization ON cooperation_meeting_participants (organization_id)`);

    await q(`
      CREATE TABLE standards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES organizations(id),
        title text NOT NULL CHECK (length(btrim(title)) > 0),
        description text NOT NULL CHECK (length(btrim(description)) > 0),
        metric text NOT NULL CONSTRAINT standards_metric_known CHECK (metric IN (${list(METRIC_KEYS_V1)})),
        target numeric(12, 4) NOT NULL CONSTRAINT standards_target_range
          CHECK (target >= 0 AND (metric NOT IN (${list(SHARE_METRICS_V1)}) OR target <= 1)),
        direction text NOT NULL CHECK (direction IN ('at_least', 'at_most')),
        adopted_at_meeting_id uuid,
        valid_from date NOT NULL,
        valid_until date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (valid_until IS NULL OR valid_until >= valid_from),
        -- the meeting a standard was adopted at belongs to the standard's district
        CONSTRAINT standards_adopted_at_meeting_of_district FOREIGN KEY (adopted_at_meeting_id, district_id)
          REFERENCES cooperation_meetings (id, district_id),
        CONSTRAINT standards_no_overlap EXCLUDE USING gist (district_id WITH =, metric WITH =, daterange(valid_from, valid_until, '[]') WITH &&)
      )`);
    await q(`CREATE INDEX standards_adopted_at_meeting ON standards (adopted_at_meeting_id)`);
    await q(`CREATE TRIGGER standards_district BEFORE INSERT OR UPDATE OF district_id ON standards
      FOR EACH ROW EXECUTE FUNCTION app_require_district()`);

    // Row-level security: authenticated callers read, the district's own coordinators write.
    for (const table of ['cooperation_meetings', 'standards']) {
      for (const statement of forceRowLevelSecurity(table)) await q(statement);
      await q(`CREATE POLICY ${table}_read ON ${table} FOR SELECT USING (app_authenticated())`);
      await q(`CREATE POLICY ${table}_write ON ${table} FOR ALL
        USING (app_is_district_coordinator(district_id)) WITH CHECK (app_is_district_coordinator(district_id))`);
    }
    for (const statement of forceRowLevelSecurity('cooperation_meeting_participants')) await q(statement);
    // The subquery sees only the meetings the caller may see (their own policies apply), so participants follow them.
    await q(`CREATE POLICY cooperation_meeting_participants_read ON cooperation_meeting_participants FOR SELECT
      USING (app_authenticated() AND EXISTS (SELECT 1 FROM cooperation_meetings m WHERE m.id = meeting_id))`);
    const editable = `EXISTS (SELECT 1 FROM cooperation_meetings m WHERE m.id = meeting_id AND app_is_district_coordinator(m.district_id))`;
    await q(`CREATE POLICY cooperation_meeting_participants_write ON cooperation_meeting_participants FOR ALL
      USING (${editable}) WITH CHECK (${editable})`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE standards`);
    await db.query(`DROP TABLE cooperation_meeting_participants`);
    await db.query(`DROP TABLE cooperation_meetings`);
    await db.query(`DROP FUNCTION app_require_district()`);
    await db.query(`DROP FUNCTION app_is_district_coordinator(uuid)`);
  }
}
