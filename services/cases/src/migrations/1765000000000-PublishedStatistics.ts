import { grantExecuteLikeTable, PUBLICATION_TIME_FUNCTION_V1, PUBLISHED_STATISTICS_TABLES_V1 } from '@integration-graph/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8: published figures. At the scale of the state (1,119 municipalities, 126,000 cases active in a tertial)
 * the statistics functions (migration 1764300000000) need 2–4.5 s each, a comparison of the whole state about 7 s
 * in this subgraph: past the statement timeout under load. A background job (packages/common/src/statistics/published.ts,
 * STATISTICS_PUBLISH_INTERVAL_MS) computes the figures of ALL municipalities and providers for the current periods
 * with the same functions and stores their raw rows here; large batches (STATISTICS_PUBLISHED_MIN_GROUPS groups of
 * one kind and period) read them, small ones (a district) are computed live.
 *
 * The tables hold aggregates only, like the functions' results (small cells are suppressed in TypeScript after
 * reading either). They belong to the owner role; the application role has no privilege on them and row-level
 * security without a policy hides them anyway. Read through SECURITY DEFINER functions with the checks of the live
 * ones (app_may_see_statistics()); written only by statistics_publish, for the role `statistics-publisher` that the
 * job sets itself (never from a token). A publication of a (group kind, period) is replaced in one transaction:
 * readers see the old one or the new one, never half. A group without rows in a publication has empty figures,
 * exactly as the live functions return no rows for it.
 */
export class PublishedStatistics1765000000000 implements MigrationInterface {
  name = 'PublishedStatistics1765000000000';

  async up(db: QueryRunner): Promise<void> {
    const q = (sql: string) => db.query(sql);
    for (const statement of PUBLISHED_STATISTICS_TABLES_V1) await q(statement);

    // The publisher computes the figures with the live functions: it may see statistics.
    await q(`
      CREATE OR REPLACE FUNCTION app_may_see_statistics() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR app_has_role('lead') OR app_has_role('caseworker') OR app_has_role('org_admin')
          OR app_has_role('municipal_app') OR app_has_role('statistics-publisher')
      $$`);

    // Every municipality (or provider) with cases, for one period, with each live function once for all of them.
    await q(`
      CREATE FUNCTION statistics_publish(grouped_by text, label text, starts date, ends date) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
      DECLARE
        ids uuid[];
        total bigint;
        fn text;
      BEGIN
        IF NOT app_has_role('statistics-publisher') THEN
          RAISE EXCEPTION 'only the statistics publisher publishes statistics' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF grouped_by IS NULL OR grouped_by NOT IN ('municipality', 'provider') THEN
          RAISE EXCEPTION 'grouped_by must be municipality or provider' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- One publisher of a (group kind, period) at a time: the publication's row stays locked until the commit.
        INSERT INTO statistics_publications (group_kind, period, published_at, row_count) VALUES (grouped_by, label, now(), 0)
          ON CONFLICT (group_kind, period) DO UPDATE SET published_at = now();
        EXECUTE format('SELECT coalesce(array_agg(DISTINCT %1$I), ''{}'') FROM cases WHERE %1$I IS NOT NULL',
                       CASE grouped_by WHEN 'municipality' THEN 'municipality_id' ELSE 'owner_organization_id' END) INTO ids;
        DELETE FROM statistics_published_rows r WHERE r.group_kind = grouped_by AND r.period = label;
        FOREACH fn IN ARRAY ARRAY['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures'] LOOP
          EXECUTE format('INSERT INTO statistics_published_rows (group_kind, group_id, period, function_name, figure, category, n, base, median)
                          SELECT $1, f.group_id, f.period, %1$L, f.figure, f.category, f.n, f.base, f.median
                            FROM %1$I($1, $2, $3, $4, $5) f', fn)
            USING grouped_by, ids, array_fill(label, ARRAY[cardinality(ids)]), array_fill(starts, ARRAY[cardinality(ids)]),
                  array_fill(ends, ARRAY[cardinality(ids)]);
        END LOOP;
        SELECT count(*) INTO total FROM statistics_published_rows r WHERE r.group_kind = grouped_by AND r.period = label;
        UPDATE statistics_publications p SET published_at = now(), row_count = total WHERE p.group_kind = grouped_by AND p.period = label;
        RETURN total;
      END
      $fn$`);

    // The published rows of one live function for (group, period) pairs: the live function's columns.
    await q(`
      CREATE FUNCTION statistics_published_figures(function_name text, grouped_by text, group_ids uuid[], labels text[])
        RETURNS TABLE (group_id uuid, period text, figure text, category text, n bigint, base bigint, median double precision)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
      BEGIN
        IF NOT app_may_see_statistics() THEN
          RAISE EXCEPTION 'statistics need the role coordinator, lead, caseworker or org_admin' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF cardinality(group_ids) <> cardinality(labels) THEN
          RAISE EXCEPTION 'group_ids and labels must have the same length' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        RETURN QUERY
          SELECT r.group_id, r.period, r.figure, r.category, r.n, r.base, r.median
            FROM (SELECT DISTINCT u.gid, u.lbl FROM unnest(group_ids, labels) AS u(gid, lbl)) u
            JOIN statistics_published_rows r
              ON r.group_kind = grouped_by AND r.function_name = statistics_published_figures.function_name AND r.period = u.lbl AND r.group_id = u.gid;
      END
      $fn$`);

    await q(PUBLICATION_TIME_FUNCTION_V1);
    for (const fn of FUNCTIONS) {
      for (const statement of grantExecuteLikeTable(fn, 'cases')) await q(statement);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) await db.query(`DROP FUNCTION ${fn}`);
    await db.query(`DROP TABLE statistics_published_rows`);
    await db.query(`DROP TABLE statistics_publications`);
    await db.query(`
      CREATE OR REPLACE FUNCTION app_may_see_statistics() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR app_has_role('lead') OR app_has_role('caseworker') OR app_has_role('org_admin')
          OR app_has_role('municipal_app')
      $$`);
  }
}

const FUNCTIONS = [
  'statistics_publish(text, text, date, date)',
  'statistics_published_figures(text, text, uuid[], text[])',
  'statistics_publication_time(text, text)',
] as const;
