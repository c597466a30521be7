import { DataSource, EntityManager } from 'typeorm';
import { envInt } from '../config';
import { DbScope, withScope } from '../db/request-transaction';
import { Logger } from '../logger';
import { parsePeriod, Period, previousPeriods, tertialOf } from '../period';
import { startIntervalJob, waitUntil } from '../server/interval-job';
import type { BackgroundJobs } from '../server/subgraph';
import { todayInGermany } from '../validation';

/**
 * Published figures (issue 8): the statistics of large comparisons (the whole state: 1,119 municipalities) are read
 * from a table that a background job refreshes, the figures of small batches (a district) are computed live.
 *
 * Both cases and referrals keep, from their migration "PublishedStatistics", the tables statistics_published_rows
 * (the raw rows of the live statistics functions, per group kind, group, period and function) and
 * statistics_publications (one row per group kind and period: when it was published, how many rows), owned by the
 * owner role and unreadable by the application role. SECURITY DEFINER functions with the same checks as the live
 * ones read them (statistics_published_figures, statistics_publication_time) and write them
 * (statistics_publish, only for the role below).
 */

/** Who the publication job is in the database: a role no token can carry (token roles are checked against Role). */
export const STATISTICS_PUBLISHER_ROLE = 'statistics-publisher';
export const STATISTICS_PUBLISHER_SCOPE: DbScope = { organizationId: null, userId: STATISTICS_PUBLISHER_ROLE, roles: [STATISTICS_PUBLISHER_ROLE] };

export const DEFAULT_STATISTICS_PUBLISH_INTERVAL_MS = 900_000;
export const DEFAULT_STATISTICS_PUBLISHED_MIN_GROUPS = 200;
/** The first publication this long after the start (the process is up and serving first). */
export const STATISTICS_FIRST_PUBLICATION_DELAY_MS = 5_000;
/** A publication computes the whole state in one statement: it may take longer than a request's statements. */
const PUBLISH_STATEMENT_TIMEOUT = '10min';

export type PublishedGroupKind = 'municipality' | 'provider';
export const PUBLISHED_GROUP_KINDS: readonly PublishedGroupKind[] = ['municipality', 'provider'];

export interface PublishedStatisticsSettings {
  /** STATISTICS_PUBLISH_INTERVAL_MS (0: no job). */
  intervalMs: number;
  /** STATISTICS_PUBLISHED_MIN_GROUPS: batches of at least this many groups of one kind and period read the publication. */
  minGroups: number;
  /** STATISTICS_PUBLISHED_MAX_AGE_MS: an older publication is not used (default twice the interval). */
  maxAgeMs: number;
}

/** Read at every use, so that a test can change them for its own subgraph. */
export function publishedStatisticsSettings(): PublishedStatisticsSettings {
  const intervalMs = envInt('STATISTICS_PUBLISH_INTERVAL_MS', DEFAULT_STATISTICS_PUBLISH_INTERVAL_MS);
  return {
    intervalMs,
    minGroups: envInt('STATISTICS_PUBLISHED_MIN_GROUPS', DEFAULT_STATISTICS_PUBLISHED_MIN_GROUPS),
    maxAgeMs: envInt('STATISTICS_PUBLISHED_MAX_AGE_MS', 2 * (intervalMs || DEFAULT_STATISTICS_PUBLISH_INTERVAL_MS)),
  };
}

/** The periods published: the current tertial (in German time), the two before it and the current year. */
export function publishedPeriods(now = new Date()): Period[] {
  const today = todayInGermany(now);
  const tertial = tertialOf(today);
  return [tertial, ...previousPeriods(tertial.label, 2), parsePeriod(today.slice(0, 4))];
}

/**
 * Which of the (group kind, period) batches read the publication: those with at least minGroups groups whose
 * publication is younger than maxAgeMs. One statement when a batch is large enough, none otherwise. Keys of the
 * result: "kind|period".
 */
export async function freshPublications(
  manager: EntityManager,
  batches: { kind: string; period: string; groups: number }[],
  settings = publishedStatisticsSettings(),
): Promise<Set<string>> {
  const large = batches.filter((batch) => batch.groups >= settings.minGroups);
  if (!large.length) return new Set();
  const rows: { kind: string; period: string }[] = await manager.query(
    `SELECT u.kind, u.period FROM unnest($1::text[], $2::text[]) AS u(kind, period)
      WHERE statistics_publication_time(u.kind, u.period) > now() - $3::bigint * interval '1 millisecond'`,
    [large.map((batch) => batch.kind), large.map((batch) => batch.period), settings.maxAgeMs],
  );
  return new Set(rows.map((row) => `${row.kind}|${row.period}`));
}

export interface PublicationResult {
  kind: PublishedGroupKind;
  period: string;
  rows: number;
  ms: number;
}

/**
 * Publishes the figures of every group of a kind for one period: statistics_publish computes them with the live
 * functions (one statement each for all groups) and replaces the publication in one transaction (readers see the
 * old one until it commits). As the publisher role, never from a token.
 */
export async function publishStatistics(dataSource: DataSource, kind: PublishedGroupKind, period: Period): Promise<PublicationResult> {
  const started = Date.now();
  const rows = await withScope(dataSource, STATISTICS_PUBLISHER_SCOPE, async (manager) => {
    await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [PUBLISH_STATEMENT_TIMEOUT]);
    const [{ rows }]: { rows: string }[] = await manager.query(`SELECT statistics_publish($1, $2, $3::date, $4::date) AS rows`, [
      kind,
      period.label,
      period.start,
      period.end,
    ]);
    return Number(rows);
  });
  return { kind, period: period.label, rows, ms: Date.now() - started };
}

/** One round: every group kind and period of publishedPeriods(), one transaction each. */
export async function publishAllStatistics(dataSource: DataSource, logger: Logger, now = new Date()): Promise<PublicationResult[]> {
  const started = Date.now();
  const results: PublicationResult[] = [];
  for (const period of publishedPeriods(now)) {
    for (const kind of PUBLISHED_GROUP_KINDS) {
      const result = await publishStatistics(dataSource, kind, period);
      logger.info(result, 'statistics publication: published');
      results.push(result);
    }
  }
  logger.info(
    { publications: results.length, rows: results.reduce((sum, r) => sum + r.rows, 0), ms: Date.now() - started },
    'statistics publication: round done',
  );
  return results;
}

/**
 * The publication job of a subgraph: a round STATISTICS_FIRST_PUBLICATION_DELAY_MS after the start, then every
 * STATISTICS_PUBLISH_INTERVAL_MS (default 15 minutes; 0: off, every comparison is computed live). Rounds never
 * overlap; a failed round is logged and tried again at the next interval.
 */
export function startStatisticsPublication(
  dataSource: DataSource,
  logger: Logger,
  intervalMs = publishedStatisticsSettings().intervalMs,
  firstDelayMs = STATISTICS_FIRST_PUBLICATION_DELAY_MS,
): BackgroundJobs {
  let running: Promise<unknown> | undefined;
  const round = async () => {
    if (running) return { done: 0, full: false };
    running = publishAllStatistics(dataSource, logger);
    try {
      await running;
    } finally {
      running = undefined;
    }
    return { done: 1, full: false };
  };
  const job = startIntervalJob(logger, 'statistics-publication', intervalMs, round, {
    offMessage: 'statistics-publication: off (STATISTICS_PUBLISH_INTERVAL_MS=0): comparisons are computed live',
  });
  if (intervalMs === 0) return job;
  let stopped = false;
  const first = setTimeout(() => {
    if (stopped) return;
    round().catch((error) => logger.error({ err: error, job: 'statistics-publication' }, 'statistics-publication: first round failed'));
  }, firstDelayMs);
  first.unref();
  return {
    async stop(deadline?: number) {
      stopped = true;
      clearTimeout(first);
      await job.stop(deadline);
      if (!(await waitUntil(running, deadline))) logger.warn({ job: 'statistics-publication' }, 'statistics-publication: the round in flight did not finish before the stop deadline');
    },
  };
}

/** Several background jobs as one (SubgraphDefinition.startBackgroundJobs returns one): stopped together. */
export function combineJobs(...jobs: BackgroundJobs[]): BackgroundJobs {
  return {
    async stop(deadline?: number) {
      await Promise.all(jobs.map((job) => job.stop(deadline)));
    },
  };
}

/**
 * The tables of published figures, the same in cases and referrals (their migrations "PublishedStatistics"): the
 * owner's only, no privilege for anybody else (the project's default privileges grant new tables to the application
 * role: taken back), row-level security without a policy. Frozen: migrations that ran must keep meaning the same.
 */
export const PUBLISHED_STATISTICS_TABLES_V1: readonly string[] = [
  `CREATE TABLE statistics_publications (
     group_kind text NOT NULL CHECK (group_kind IN ('municipality', 'provider')),
     period text NOT NULL,
     published_at timestamptz NOT NULL,
     row_count bigint NOT NULL,
     PRIMARY KEY (group_kind, period)
   )`,
  `CREATE TABLE statistics_published_rows (
     group_kind text NOT NULL,
     group_id uuid NOT NULL,
     period text NOT NULL,
     function_name text NOT NULL,
     figure text NOT NULL,
     category text,
     n bigint NOT NULL,
     base bigint,
     median double precision,
     FOREIGN KEY (group_kind, period) REFERENCES statistics_publications (group_kind, period) ON DELETE CASCADE
   )`,
  `CREATE INDEX statistics_published_rows_lookup ON statistics_published_rows (group_kind, period, function_name, group_id)`,
  ...['statistics_publications', 'statistics_published_rows'].flatMap((table) => [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `REVOKE ALL ON ${table} FROM PUBLIC`,
    `DO $$
     DECLARE grantee text;
     BEGIN
       FOR grantee IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                       WHERE g.table_schema = 'public' AND g.table_name = '${table}' AND g.grantee <> current_user LOOP
         EXECUTE format('REVOKE ALL ON ${table} FROM %I', grantee);
       END LOOP;
     END $$`,
  ]),
];

/** When the publication of a group kind and period was made (NULL: never), for the callers of the statistics. Frozen. */
export const PUBLICATION_TIME_FUNCTION_V1 = `
  CREATE FUNCTION statistics_publication_time(grouped_by text, label text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
  BEGIN
    IF NOT app_may_see_statistics() THEN
      RAISE EXCEPTION 'statistics need the role coordinator, lead, caseworker or org_admin' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN (SELECT p.published_at FROM statistics_publications p WHERE p.group_kind = grouped_by AND p.period = label);
  END
  $fn$`;
