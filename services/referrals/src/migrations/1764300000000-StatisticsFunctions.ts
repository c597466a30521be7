import { grantExecuteLikeTable } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics for the cooperation meetings (issue 6): referral figures over the referrals of ALL organisations,
 * grouped by municipality (referrals.municipality_id) or by provider (the sending organisation,
 * referrals.sender_organization_id). Row-level security shows the application role only the referrals its
 * organisation sent or received, so the figures come from SECURITY DEFINER functions owned by the owner role. They
 * return aggregates only — counts, numerators, denominators and medians per (group kind, group id, period label,
 * figure, category) — never a row, a case id or a snapshot. Small cells are suppressed in TypeScript
 * (packages/common/src/statistics/suppression.ts, services/referrals/src/statistics) before anything leaves the
 * subgraph.
 *
 * Each function answers ALL requested (group kind, group, period) triples in one statement (parallel arrays:
 * group_kinds[i], group_ids[i], labels[i], starts[i], ends[i]; periods half-open [start, end) in days, read in German
 * time), so the comparison of every municipality and provider of a district costs one statement per kind of
 * figure, whatever the number of municipalities. The referrals of a (group, period) are found by index (group
 * column, sent_at) or (group column, closed_at); the cost grows with the groups asked for and their referrals in
 * the period, never with history. Callers need one of the roles coordinator, lead, caseworker or org_admin in the
 * request's settings (app_may_see_statistics()); otherwise the functions refuse with insufficient_privilege — no
 * context, no figures. The definitions are in docs/referrals.md ("Statistics").
 */
export class StatisticsFunctions1764300000000 implements MigrationInterface {
  name = 'StatisticsFunctions1764300000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);

    // referrals_municipality_sent (municipality_id, sent_at) exists (1764200000000); the other three ways in:
    await q(`CREATE INDEX referrals_sender_sent ON referrals (sender_organization_id, sent_at) WHERE sent_at IS NOT NULL`);
    await q(`CREATE INDEX referrals_municipality_closed ON referrals (municipality_id, closed_at) WHERE closed_at IS NOT NULL`);
    await q(`CREATE INDEX referrals_sender_closed ON referrals (sender_organization_id, closed_at) WHERE closed_at IS NOT NULL`);

    await q(`
      CREATE FUNCTION app_may_see_statistics() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR app_has_role('lead') OR app_has_role('caseworker') OR app_has_role('org_admin')
      $$`);

    // The triples asked for (numbered: the figures are grouped by that number), with the period's bounds as
    // instants in German time.
    const triples = `
      t AS (
        SELECT u.i, u.group_kind, u.group_id, u.period,
               u.starts::timestamp AT TIME ZONE 'Europe/Berlin' AS from_ts,
               u.ends::timestamp AT TIME ZONE 'Europe/Berlin' AS to_ts
          FROM unnest($1::text[], $2::uuid[], $3::text[], $4::date[], $5::date[]) WITH ORDINALITY AS u(group_kind, group_id, period, starts, ends, i)
      )`;
    // The referrals of each triple whose `column` (sent_at or closed_at) lies in the period, by municipality or by
    // sender: one index range scan per triple. Only the columns the figures need.
    const cohort = (name: string, column: 'sent_at' | 'closed_at') => {
      const columns = `t.i, r.status, r.life_area, r.receiver_kind, r.sent_at, r.response_due_at, r.first_response_at, r.started_at,
               r.outcome ->> 'levelReached' AS level`;
      return `
      ${name} AS (
        SELECT ${columns}
          FROM t JOIN referrals r ON r.municipality_id = t.group_id AND r.${column} >= t.from_ts AND r.${column} < t.to_ts
         WHERE t.group_kind = 'municipality'
        UNION ALL
        SELECT ${columns}
          FROM t JOIN referrals r ON r.sender_organization_id = t.group_id AND r.${column} >= t.from_ts AND r.${column} < t.to_ts
         WHERE t.group_kind = 'provider'
      )`;
    };
    const header = (name: string) => `
      CREATE FUNCTION ${name}(group_kinds text[], group_ids uuid[], labels text[], starts date[], ends date[])
        RETURNS TABLE (group_kind text, group_id uuid, period text, figure text, category text, n bigint, base bigint, median double precision)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
      BEGIN
        IF NOT app_may_see_statistics() THEN
          RAISE EXCEPTION 'statistics need the role coordinator, lead, caseworker or org_admin' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF cardinality(group_kinds) <> cardinality(group_ids) OR cardinality(group_ids) <> cardinality(labels)
           OR cardinality(labels) <> cardinality(starts) OR cardinality(starts) <> cardinality(ends) THEN
          RAISE EXCEPTION 'group_kinds, group_ids, labels, starts and ends must have the same length' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF EXISTS (SELECT 1 FROM unnest(group_kinds) g WHERE g IS NULL OR g NOT IN ('municipality', 'provider')) THEN
          RAISE EXCEPTION 'a group kind is municipality or provider' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- Planned with the actual arrays on every call.
        RETURN QUERY EXECUTE $sql$`;
    const footer = `$sql$
          USING group_kinds, group_ids, labels, starts, ends;
      END
      $fn$`;
    const days = (from: string, to: string) => `((${to} AT TIME ZONE 'Europe/Berlin')::date - (${from} AT TIME ZONE 'Europe/Berlin')::date)`;
    const decided = `'accepted', 'waitlisted', 'scheduled', 'in_progress', 'on_hold', 'completed', 'failed', 'no_show', 'declined'`;

    // One row per (triple, metric); n = count or numerator (of medians: the observations), base = denominator.
    await q(`${header('statistics_referral_figures')}
      WITH ${triples}, ${cohort('sent', 'sent_at')}, ${cohort('closed', 'closed_at')},
      s AS (
        SELECT i,
               count(*) AS sent,
               count(*) FILTER (WHERE response_due_at IS NOT NULL AND (first_response_at IS NOT NULL OR response_due_at < now())) AS due,
               count(*) FILTER (WHERE first_response_at <= response_due_at) AS in_time,
               count(*) FILTER (WHERE first_response_at IS NOT NULL) AS answered,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days('sent_at', 'first_response_at')}) FILTER (WHERE first_response_at IS NOT NULL) AS response_median,
               count(*) FILTER (WHERE started_at IS NOT NULL) AS started,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days('sent_at', 'started_at')}) FILTER (WHERE started_at IS NOT NULL) AS start_median,
               count(*) FILTER (WHERE status IN (${decided})) AS decided,
               count(*) FILTER (WHERE status IN (${decided}) AND status <> 'declined') AS not_declined,
               count(*) FILTER (WHERE status = 'expired') AS expired
          FROM sent GROUP BY i
      ),
      c AS (
        SELECT i,
               count(*) FILTER (WHERE status IN ('completed', 'declined', 'failed', 'no_show', 'expired')) AS closed,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'no_show') AS no_show,
               count(*) FILTER (WHERE status = 'completed' AND level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')) AS with_level,
               count(*) FILTER (WHERE status = 'completed' AND level IN ('B1', 'B2', 'C1', 'C2')) AS b1_or_higher
          FROM closed GROUP BY i
      )
      SELECT t.group_kind, t.group_id, t.period, f.figure, NULL::text, f.n, f.base, f.median
        FROM t
        LEFT JOIN s ON s.i = t.i
        LEFT JOIN c ON c.i = t.i
       CROSS JOIN LATERAL (VALUES
          ('REFERRALS_SENT', coalesce(s.sent, 0), NULL::bigint, NULL::double precision),
          ('SHARE_REFERRALS_ANSWERED_IN_TIME', coalesce(s.in_time, 0), coalesce(s.due, 0), NULL),
          ('MEDIAN_DAYS_TO_FIRST_RESPONSE', coalesce(s.answered, 0), NULL, s.response_median),
          ('MEDIAN_DAYS_TO_START', coalesce(s.started, 0), NULL, s.start_median),
          ('ACCEPTANCE_RATE', coalesce(s.not_declined, 0), coalesce(s.decided, 0), NULL),
          ('COMPLETION_RATE', coalesce(c.completed, 0), coalesce(c.closed, 0), NULL),
          ('NO_SHOW_RATE', coalesce(c.no_show, 0), coalesce(c.closed, 0), NULL),
          ('EXPIRY_RATE', coalesce(s.expired, 0), coalesce(s.sent, 0), NULL),
          ('SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', coalesce(c.b1_or_higher, 0), coalesce(c.with_level, 0), NULL)
        ) AS f(figure, n, base, median)
    ${footer}`);

    // Breakdowns: referrals sent in the period by life area and by receiver kind (stored values, NULL when not
    // recorded), and referrals completed in the period by the language level reached. Only non-empty categories.
    await q(`${header('statistics_referral_breakdowns')}
      WITH ${triples}, ${cohort('sent', 'sent_at')}, ${cohort('closed', 'closed_at')},
      b AS (
        SELECT i, 'SENT_BY_LIFE_AREA' AS figure, life_area AS category, count(*) AS n FROM sent GROUP BY i, life_area
        UNION ALL
        SELECT i, 'SENT_BY_RECEIVER_KIND', receiver_kind, count(*) FROM sent GROUP BY i, receiver_kind
        UNION ALL
        SELECT i, 'LANGUAGE_OUTCOMES_BY_LEVEL', level, count(*)
          FROM closed WHERE status = 'completed' AND level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2') GROUP BY i, level
      )
      SELECT t.group_kind, t.group_id, t.period, b.figure, b.category, b.n, NULL::bigint, NULL::double precision
        FROM t JOIN b ON b.i = t.i
    ${footer}`);

    // Only the application role may call them (like the cases subgraph's consent_still_valid): default privileges
    // cover tables only, so grant to every role that was granted the referrals table.
    for (const fn of STATISTICS_FUNCTIONS) {
      for (const statement of grantExecuteLikeTable(`${fn}(${SIGNATURE})`, 'referrals')) await q(statement);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const fn of STATISTICS_FUNCTIONS) await db.query(`DROP FUNCTION ${fn}(${SIGNATURE})`);
    await db.query(`DROP FUNCTION app_may_see_statistics()`);
    for (const index of ['referrals_sender_closed', 'referrals_municipality_closed', 'referrals_sender_sent']) await db.query(`DROP INDEX ${index}`);
  }
}

const STATISTICS_FUNCTIONS = ['statistics_referral_figures', 'statistics_referral_breakdowns'] as const;
const SIGNATURE = 'text[], uuid[], text[], date[], date[]';
