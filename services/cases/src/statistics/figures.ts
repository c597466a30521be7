import { freshPublications, LoaderFactory, parsePeriod, Period, previousPeriods, RequestContext, SharedFigures } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { emptyFigures, GroupStatistics, periodStatistics, RawFigures, TREND_PERIODS } from './metrics';

/** Which column groups the cases: cases.municipality_id or cases.owner_organization_id (the provider). */
export type Grouping = 'municipality' | 'provider';

/** A loader key: the group's id and the period label, e.g. "6f1c…|2026-T2". Build it with statisticsKey. */
export function statisticsKey(groupId: string, period: string): string {
  return `${groupId}|${period}`;
}

interface FigureRow {
  group_id: string;
  period: string;
  figure: string;
  category: string | null;
  n: string;
  base: string | null;
  median: number | null;
}

/** One statement per kind of figure, each for all (group, period) pairs at once (migration 1764300000000). */
const FUNCTIONS = ['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures'] as const;

function apply(figures: RawFigures, row: FigureRow): void {
  const n = Number(row.n);
  const base = row.base === null ? 0 : Number(row.base);
  switch (row.figure) {
    case 'active_cases':
      figures.activeCases = n;
      break;
    case 'active_cases_with_plan':
      figures.activeCasesWithPlan = n;
      break;
    case 'days_to_first_plan':
      figures.firstPlanCases = n;
      figures.firstPlanMedianDays = row.median;
      break;
    case 'plans_reviewed':
      figures.reviewed = n;
      figures.reviewBase = base;
      break;
    case 'cases_reaching_limit':
      figures.casesReachingLimit = n;
      figures.closedCases = base;
      break;
    case 'closures_by_reason':
      figures.closuresByReason[row.category!] = n;
      break;
    case 'goals_set':
      figures.goalsSetByLifeArea[row.category!] = n;
      break;
    case 'consultations_by_mode':
      figures.consultationsByMode[row.category!] = n;
      break;
    default:
      if (row.figure.startsWith('goals_closed_')) {
        const status = row.figure.slice('goals_closed_'.length);
        (figures.goalsClosed[status] ??= {})[row.category!] = n;
      } else {
        throw new Error(`Unknown statistics figure "${row.figure}"`);
      }
  }
}

/** The raw figures being computed for a gateway request, shared by its subgraph requests (see SharedFigures). */
const sharedFigures = new SharedFigures<RawFigures>();

/**
 * The raw figures of (group, period) pairs keyed "grouping|groupId|period", from three statements whatever their
 * number. A period asked for at least STATISTICS_PUBLISHED_MIN_GROUPS groups (a comparison of the whole state, not
 * of a district) reads the published figures when their publication is fresh (STATISTICS_PUBLISHED_MAX_AGE_MS):
 * one statement to check, then three reading the publication instead of the live functions.
 */
async function computeFigures(context: RequestContext, grouping: Grouping, keys: string[]): Promise<Map<string, RawFigures>> {
  const list = keys.map((key) => {
    const [, groupId, label] = key.split('|');
    return { key, groupId, period: parsePeriod(label) };
  });
  const figures = new Map(list.map((pair) => [pair.key, emptyFigures()]));
  const manager = await context.tx.manager();
  const groupsPerPeriod = new Map<string, number>();
  for (const pair of list) groupsPerPeriod.set(pair.period.label, (groupsPerPeriod.get(pair.period.label) ?? 0) + 1);
  const fresh = await freshPublications(
    manager,
    [...groupsPerPeriod].map(([period, groups]) => ({ kind: grouping, period, groups })),
  );
  const published = list.filter((pair) => fresh.has(`${grouping}|${pair.period.label}`));
  const live = list.filter((pair) => !fresh.has(`${grouping}|${pair.period.label}`));
  const collect = (rows: FigureRow[]) => {
    for (const row of rows) apply(figures.get(`${grouping}|${statisticsKey(row.group_id, row.period)}`)!, row);
  };
  for (const fn of FUNCTIONS) {
    if (live.length) {
      collect(
        await manager.query(`SELECT group_id, period, figure, category, n, base, median FROM ${fn}($1, $2::uuid[], $3::text[], $4::date[], $5::date[])`, [
          grouping,
          live.map((pair) => pair.groupId),
          live.map((pair) => pair.period.label),
          live.map((pair) => pair.period.start),
          live.map((pair) => pair.period.end),
        ]),
      );
    }
    if (published.length) {
      collect(
        await manager.query(`SELECT group_id, period, figure, category, n, base, median FROM statistics_published_figures($1, $2, $3::uuid[], $4::text[])`, [
          fn,
          grouping,
          published.map((pair) => pair.groupId),
          published.map((pair) => pair.period.label),
        ]),
      );
    }
  }
  return figures;
}

/**
 * The figures of many groups and periods, each with its trend periods, from three SQL statements whatever the
 * number of groups: all `_entities` representations of one request (and the municipalities of a district) go
 * through one batch, and the subgraph requests of one gateway request share what they compute (a comparison's
 * municipality metrics and its distribution are two fetches of the same figures). Only aggregates come back from
 * the database; small cells are suppressed in periodStatistics.
 */
async function loadGroupStatistics(context: RequestContext, grouping: Grouping, keys: readonly string[]): Promise<GroupStatistics[]> {
  const requests = keys.map((key) => {
    const [groupId, label, trend] = key.split('|');
    // The trend's periods only when the caller selected `trend` (see withTrend): a comparison without trends costs
    // one period, not three.
    return { groupId, periods: [parsePeriod(label), ...(trend === TREND_SUFFIX ? previousPeriods(label, TREND_PERIODS) : [])] };
  });
  const pairKey = (groupId: string, period: Period) => `${grouping}|${statisticsKey(groupId, period.label)}`;
  const pairKeys = [...new Set(requests.flatMap(({ groupId, periods }) => periods.map((period) => pairKey(groupId, period))))];
  const values = await sharedFigures.load(context, pairKeys, (missing) => computeFigures(context, grouping, missing));
  const figures = new Map(pairKeys.map((key, i) => [key, values[i]]));
  return requests.map(({ groupId, periods }) => {
    const [current, ...previous] = periods.map((period) => periodStatistics(period.label, figures.get(pairKey(groupId, period))!));
    return { current, previous };
  });
}

const TREND_SUFFIX = 'trend';

/** The loader key of figures that need their trend periods too. */
export function withTrend(key: string): string {
  return `${key}|${TREND_SUFFIX}`;
}

/** Case figures by municipality (cases.municipality_id), keyed by statisticsKey(municipalityId, period) (withTrend for trends). */
export const municipalityStatistics: LoaderFactory<string, GroupStatistics> = (context) =>
  new DataLoader((keys) => loadGroupStatistics(context, 'municipality', keys));

/** Case figures by provider (cases.owner_organization_id), keyed by statisticsKey(providerId, period). */
export const providerStatistics: LoaderFactory<string, GroupStatistics> = (context) =>
  new DataLoader((keys) => loadGroupStatistics(context, 'provider', keys));
