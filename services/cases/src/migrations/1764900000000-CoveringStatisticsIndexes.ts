import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8: the statistics functions (migration 1764300000000) read every case of a group active in the period, then
 * per case its plan, first goal, goals and consultations of the period, each by index. At the scale of the state
 * (`npm run bench -- --scale 40`: 1,119 municipalities, 126,000 cases active in a tertial) every one of those index
 * lookups also fetched the row from the table (random heap reads: `statistics_case_figures` 4.4 s, `_goal_figures`
 * 4.0 s, `_consultation_figures` 4.6 s for the whole state). With the columns the functions read included in the
 * indexes, the lookups are index-only scans (no heap fetch once the pages are all-visible, which VACUUM keeps them):
 * 2.3 s, 2.0 s and 2.3 s on the same (shared, busy) machine; a district's comparison profits alike. The indexes keep
 * their names and key columns, so every other query that used them still does.
 */
export class CoveringStatisticsIndexes1764900000000 implements MigrationInterface {
  name = 'CoveringStatisticsIndexes1764900000000';

  async up(db: QueryRunner): Promise<void> {
    for (const [name, definition] of Object.entries(COVERING)) {
      await db.query(`DROP INDEX ${name}`);
      await db.query(`CREATE INDEX ${name} ON ${definition}`);
    }
    await db.query(`CREATE INDEX integration_plans_case_review ON integration_plans (case_id) INCLUDE (last_reviewed_on)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX integration_plans_case_review`);
    for (const [name, definition] of Object.entries(PLAIN)) {
      await db.query(`DROP INDEX ${name}`);
      await db.query(`CREATE INDEX ${name} ON ${definition}`);
    }
  }
}

/** The indexes with the columns the statistics functions read. */
const COVERING: Record<string, string> = {
  cases_municipality_active: `cases (municipality_id, (COALESCE(closed_at, 'infinity'::timestamptz)), opened_at) INCLUDE (id, closed_at, closure_reason, program_id)`,
  cases_owner_active: `cases (owner_organization_id, (COALESCE(closed_at, 'infinity'::timestamptz)), opened_at) INCLUDE (id, closed_at, closure_reason, program_id)`,
  goals_case_created: `goals (case_id, created_at) INCLUDE (life_area)`,
  goals_case_closed: `goals (case_id, closed_on) INCLUDE (status, life_area) WHERE closed_on IS NOT NULL`,
  consultations_case: `consultations (case_id, occurred_at DESC) INCLUDE (mode)`,
};

/** As they were before (migrations 1763900000000, 1764000000000 and 1764300000000). */
const PLAIN: Record<string, string> = {
  cases_municipality_active: `cases (municipality_id, (COALESCE(closed_at, 'infinity'::timestamptz)), opened_at)`,
  cases_owner_active: `cases (owner_organization_id, (COALESCE(closed_at, 'infinity'::timestamptz)), opened_at)`,
  goals_case_created: `goals (case_id, created_at)`,
  goals_case_closed: `goals (case_id, closed_on) WHERE closed_on IS NOT NULL`,
  consultations_case: `consultations (case_id, occurred_at DESC)`,
};
