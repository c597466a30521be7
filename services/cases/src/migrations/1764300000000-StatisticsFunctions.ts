import { grantExecuteLikeTable } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics for the cooperation meetings (issue 6): figures over the cases of ALL organisations, grouped by
 * municipality or by provider. Row-level security shows the application role only its own organisation's rows, so
 * the figures come from SECURITY DEFINER functions owned by the owner role. They return aggregates only — counts,
 * numerators, denominators and medians per (group id, period label, figure, category) — never a row of a case, a
 * client or a plan. Small cells are suppressed in TypeScript (packages/common/src/statistics/suppression.ts) before
 * anything leaves the subgraph.
 *
 * Each function answers ALL requested (group, period) pairs in one statement (parallel arrays: group_ids[i] with
 * labels[i], starts[i], ends[i]; periods half-open [start, end) in days, read in German time), so a comparison of
 * every municipality of a district costs one statement per kind of figure. `grouped_by` is 'municipality' (cases.
 * municipality_id) or 'provider' (cases.owner_organization_id). Callers need one of the roles coordinator, lead,
 * caseworker or org_admin in the request's settings (app_may_see_statistics()); otherwise the functions refuse
 * with insufficient_privilege — no context, no figures.
 *
 * Cases considered for a (group, period): those active at some time in the period (opened before its end, not
 * closed before its start). Goals set or closed and consultations held in a period always belong to such cases
 * (the plan and consultations of a closed case take no changes; a consultation is not before the opening), so the
 * goal and consultation figures start from the same cases, and the cost grows with the groups asked for and their
 * cases active in the period, read by index, not with history.
 */
export class StatisticsFunctions1764300000000 implements MigrationInterface {
  name = 'StatisticsFunctions1764300000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);

    // Indexes the figures need. The cases of a group active in a period: by group, then by the end of counselling
    // (infinity while open) and opening, so that the scan starts at the period and skips the cases closed before it
    // (history does not cost). Then per case: the first goal and goals set in a period, goals closed in a period, and
    // consultations in a period (consultations_case, migration 1764000000000).
    await q(`CREATE INDEX cases_municipality_active ON cases (municipality_id, (COALESCE(closed_at, 'infinity'::timestamptz)), opened_at)`);
    await q(`CREATE INDEX cases_owner_active ON cases (owner_organization_id, (COALESCE(closed_at, 'infinity'::timestamptz)), opened_at)`);
    await q(`CREATE INDEX goals_case_created ON goals (case_id, created_at)`);
    await q(`CREATE INDEX goals_case_closed ON goals (case_id, closed_on) WHERE closed_on IS NOT NULL`);

    await q(`
      CREATE FUNCTION app_may_see_statistics() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR app_has_role('lead') OR app_has_role('caseworker') OR app_has_role('org_admin')
      $$`);

    // The (group, period) pairs asked for, with the period's bounds as instants in German time, and the cases of each
    // pair active in its period. Shared by all three. OFFSET 0 keeps the lateral subqueries from being flattened: each
    // pair reads its group's active cases by index, each such case its goals or consultations of the period by index,
    // instead of the planner joining whole tables (which would grow with the state's history, not with the groups asked).
    const pairs = `
      t AS (
        SELECT u.group_id, u.period, u.starts, u.ends,
               u.starts::timestamp AT TIME ZONE 'Europe/Berlin' AS from_ts,
               u.ends::timestamp AT TIME ZONE 'Europe/Berlin' AS to_ts,
               (u.ends - interval '6 months')::date AS review_from,
               (u.ends - interval '6 months')::timestamp AT TIME ZONE 'Europe/Berlin' AS review_from_ts
          FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[]) AS u(group_id, period, starts, ends)
      ),
      ac AS MATERIALIZED (
        SELECT t.*, c.case_id, c.opened_at, c.closed_at, c.closure_reason, c.program_id
          FROM t CROSS JOIN LATERAL (
            SELECT c.id AS case_id, c.opened_at, c.closed_at, c.closure_reason, c.program_id
              FROM cases c
             WHERE c.%1$I = t.group_id AND COALESCE(c.closed_at, 'infinity'::timestamptz) >= t.from_ts AND c.opened_at < t.to_ts
            OFFSET 0) c
      )`;
    const header = (name: string) => `
      CREATE FUNCTION ${name}(grouped_by text, group_ids uuid[], labels text[], starts date[], ends date[])
        RETURNS TABLE (group_id uuid, period text, figure text, category text, n bigint, base bigint, median double precision)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
      BEGIN
        IF NOT app_may_see_statistics() THEN
          RAISE EXCEPTION 'statistics need the role coordinator, lead, caseworker or org_admin' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF grouped_by IS NULL OR grouped_by NOT IN ('municipality', 'provider') THEN
          RAISE EXCEPTION 'grouped_by must be municipality or provider' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF cardinality(group_ids) <> cardinality(labels) OR cardinality(labels) <> cardinality(starts) OR cardinality(starts) <> cardinality(ends) THEN
          RAISE EXCEPTION 'group_ids, labels, starts and ends must have the same length' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        RETURN QUERY EXECUTE format($sql$`;
    const footer = `$sql$, CASE grouped_by WHEN 'municipality' THEN 'municipality_id' ELSE 'owner_organization_id' END)
          USING group_ids, labels, starts, ends;
      END
      $fn$`;

    // Case figures: active cases, with a plan (a goal created before the period's end), days from opening to the
    // first goal for cases opened in the period (median), plans reviewed within the six months before the period's
    // end (of active cases opened at least six months before it), cases closed in the period and those reaching the
    // limit (closed as PERIOD_ENDED or after at least the program's standard months), closures by reason.
    await q(`${header('statistics_case_figures')}
      WITH ${pairs},
      x AS (
        SELECT ac.*, p.last_reviewed_on, fg.first_goal_at,
               (fg.first_goal_at AT TIME ZONE 'Europe/Berlin')::date - (ac.opened_at AT TIME ZONE 'Europe/Berlin')::date AS days_to_first_goal,
               ac.closed_at >= ((ac.opened_at AT TIME ZONE 'Europe/Berlin') + make_interval(months => pr.standard_months)) AT TIME ZONE 'Europe/Berlin' AS lasted_standard
          FROM ac
          JOIN counselling_programs pr ON pr.id = ac.program_id
          LEFT JOIN LATERAL (SELECT p.last_reviewed_on FROM integration_plans p WHERE p.case_id = ac.case_id OFFSET 0) p ON true
          LEFT JOIN LATERAL (SELECT min(g.created_at) AS first_goal_at FROM goals g WHERE g.case_id = ac.case_id) fg ON true
      ),
      a AS (
        SELECT x.group_id, x.period,
               count(*) AS active,
               count(*) FILTER (WHERE x.first_goal_at < x.to_ts) AS with_plan,
               count(*) FILTER (WHERE x.opened_at >= x.from_ts AND x.first_goal_at IS NOT NULL) AS first_plan_n,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY x.days_to_first_goal)
                 FILTER (WHERE x.opened_at >= x.from_ts AND x.first_goal_at IS NOT NULL) AS first_plan_median,
               count(*) FILTER (WHERE x.opened_at <= x.review_from_ts) AS review_base,
               count(*) FILTER (WHERE x.opened_at <= x.review_from_ts AND x.last_reviewed_on >= x.review_from AND x.last_reviewed_on < x.ends) AS reviewed,
               count(*) FILTER (WHERE x.closed_at < x.to_ts) AS closed,
               count(*) FILTER (WHERE x.closed_at < x.to_ts AND (x.closure_reason = 'period_ended' OR x.lasted_standard)) AS reaching_limit
          FROM x GROUP BY x.group_id, x.period
      )
      SELECT a.group_id, a.period, f.figure, NULL::text, f.n, f.base, f.median
        FROM a CROSS JOIN LATERAL (VALUES
          ('active_cases', a.active, NULL::bigint, NULL::double precision),
          ('active_cases_with_plan', a.with_plan, a.active, NULL),
          ('days_to_first_plan', a.first_plan_n, NULL, a.first_plan_median),
          ('plans_reviewed', a.reviewed, a.review_base, NULL),
          ('cases_reaching_limit', a.reaching_limit, a.closed, NULL)
        ) AS f(figure, n, base, median)
      UNION ALL
      SELECT x.group_id, x.period, 'closures_by_reason', x.closure_reason, count(*), NULL, NULL
        FROM x WHERE x.closed_at < x.to_ts AND x.closure_reason IS NOT NULL
       GROUP BY x.group_id, x.period, x.closure_reason
    ${footer}`);

    // Goals set (created) in the period by life area, and goals closed in the period by closing status and life area.
    await q(`${header('statistics_goal_figures')}
      WITH ${pairs}
      SELECT ac.group_id, ac.period, 'goals_set', g.life_area, count(*), NULL::bigint, NULL::double precision
        FROM ac CROSS JOIN LATERAL (
          SELECT g.life_area FROM goals g WHERE g.case_id = ac.case_id AND g.created_at >= ac.from_ts AND g.created_at < ac.to_ts OFFSET 0) g
       GROUP BY ac.group_id, ac.period, g.life_area
      UNION ALL
      SELECT ac.group_id, ac.period, 'goals_closed_' || g.status, g.life_area, count(*), NULL, NULL
        FROM ac CROSS JOIN LATERAL (
          SELECT g.status, g.life_area FROM goals g
           WHERE g.case_id = ac.case_id AND g.closed_on IS NOT NULL AND g.closed_on >= ac.starts AND g.closed_on < ac.ends OFFSET 0) g
       GROUP BY ac.group_id, ac.period, g.status, g.life_area
    ${footer}`);

    // Consultations held in the period by mode.
    await q(`${header('statistics_consultation_figures')}
      WITH ${pairs}
      SELECT ac.group_id, ac.period, 'consultations_by_mode', k.mode, count(*), NULL::bigint, NULL::double precision
        FROM ac CROSS JOIN LATERAL (
          SELECT k.mode FROM consultations k WHERE k.case_id = ac.case_id AND k.occurred_at >= ac.from_ts AND k.occurred_at < ac.to_ts OFFSET 0) k
       GROUP BY ac.group_id, ac.period, k.mode
    ${footer}`);

    // Only the application role may call them (like consent_still_valid): default privileges cover tables only.
    for (const fn of STATISTICS_FUNCTIONS) {
      for (const statement of grantExecuteLikeTable(`${fn}(text, uuid[], text[], date[], date[])`, 'cases')) await q(statement);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const fn of STATISTICS_FUNCTIONS) await db.query(`DROP FUNCTION ${fn}(text, uuid[], text[], date[], date[])`);
    await db.query(`DROP FUNCTION app_may_see_statistics()`);
    for (const index of ['goals_case_closed', 'goals_case_created', 'cases_owner_active', 'cases_municipality_active']) await db.query(`DROP INDEX ${index}`);
  }
}

const STATISTICS_FUNCTIONS = ['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures'] as const;
