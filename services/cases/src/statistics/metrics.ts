import { countValue, distribution, DistributionValue, medianValue, MetricBreakdown, MetricValue, shareValue, suppressBreakdown } from '@integration-graph/common';
import { ClosureReason, ConsultationMode, GoalStatus, LifeArea } from '../entities/enums';

/**
 * The case figures of the cooperation meetings, computed from the aggregates the SQL functions return
 * (migration 1764300000000) and suppressed here, before anything leaves the subgraph. Definitions in docs/cases.md
 * ("Statistics"). Metric names are the MetricKey names of the partners subgraph (services/partners/src/standards/
 * metrics.ts), in its order.
 */
export const CASE_METRICS = [
  'ACTIVE_CASES',
  'CASES_PER_FULL_TIME_POSITION',
  'SHARE_ACTIVE_CASES_WITH_PLAN',
  'MEDIAN_DAYS_TO_FIRST_PLAN',
  'SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS',
  'SHARE_GOALS_ACHIEVED',
  'SHARE_HOME_VISITS',
  'SHARE_CASES_REACHING_LIMIT',
] as const;
export type CaseMetric = (typeof CASE_METRICS)[number];

/** Every case metric but the one that needs a provider's staffing. */
export const GROUP_METRICS: readonly CaseMetric[] = CASE_METRICS.filter((metric) => metric !== 'CASES_PER_FULL_TIME_POSITION');

/** How many earlier periods each metric's trend shows. */
export const TREND_PERIODS = 2;

/** The aggregates of one group (municipality or provider) in one period, as the SQL functions return them. */
export interface RawFigures {
  activeCases: number;
  activeCasesWithPlan: number;
  /** Cases opened in the period that got a first goal, and the median days from opening to it. */
  firstPlanCases: number;
  firstPlanMedianDays: number | null;
  /** Active cases opened at least six months before the period's end, and those of them reviewed in those six months. */
  reviewBase: number;
  reviewed: number;
  closedCases: number;
  casesReachingLimit: number;
  /** Stored (lower-case) values → count. */
  closuresByReason: Record<string, number>;
  goalsSetByLifeArea: Record<string, number>;
  /** Closing status → life area → count. */
  goalsClosed: Record<string, Record<string, number>>;
  consultationsByMode: Record<string, number>;
}

export function emptyFigures(): RawFigures {
  return {
    activeCases: 0,
    activeCasesWithPlan: 0,
    firstPlanCases: 0,
    firstPlanMedianDays: null,
    reviewBase: 0,
    reviewed: 0,
    closedCases: 0,
    casesReachingLimit: 0,
    closuresByReason: {},
    goalsSetByLifeArea: {},
    goalsClosed: {},
    consultationsByMode: {},
  };
}

export type MetricFigure = Omit<MetricValue, 'trend'>;

/** The suppressed figures of one group in one period. */
export interface PeriodStatistics {
  period: string;
  metrics: Map<CaseMetric, MetricFigure>;
  breakdowns: MetricBreakdown[];
}

/** The closing statuses of goals, each with its breakdown by life area (GOALS_BY_LIFE_AREA_ACHIEVED, ...). */
const CLOSING_STATUSES: readonly (keyof typeof GoalStatus)[] = ['ACHIEVED', 'PARTLY_ACHIEVED', 'NOT_ACHIEVED', 'DROPPED'];

/** One cell per value of the enum (its GraphQL name), in the enum's order; zero where nothing was counted. */
function breakdownOf(name: string, values: Record<string, string>, counts: Record<string, number>): MetricBreakdown[] {
  return suppressBreakdown(
    name,
    Object.entries(values).map(([key, stored]) => ({ key, count: counts[stored] ?? 0 })),
  );
}

const sum = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((total, n) => total + n, 0);

const suppressedFigure = (metric: string): MetricFigure => ({ metric, value: null, numerator: null, denominator: null, suppressed: true });

/**
 * The figures of one period with small cells suppressed. Breakdowns are suppressed group by group with secondary
 * suppression; a share whose numerator is a cell of a breakdown is suppressed with that cell (SHARE_HOME_VISITS with
 * CONSULTATIONS_BY_MODE/HOME_VISIT), or the share would give the cell, and with the total the other hidden cell, back.
 */
export function periodStatistics(period: string, raw: RawFigures): PeriodStatistics {
  const breakdowns: MetricBreakdown[] = [
    ...breakdownOf('GOALS_BY_LIFE_AREA_SET', LifeArea, raw.goalsSetByLifeArea),
    ...CLOSING_STATUSES.flatMap((status) => breakdownOf(`GOALS_BY_LIFE_AREA_${status}`, LifeArea, raw.goalsClosed[GoalStatus[status]] ?? {})),
    ...breakdownOf('CONSULTATIONS_BY_MODE', ConsultationMode, raw.consultationsByMode),
    ...breakdownOf('CLOSURES_BY_REASON', ClosureReason, raw.closuresByReason),
  ];
  const homeVisitCell = breakdowns.find((cell) => cell.breakdown === 'CONSULTATIONS_BY_MODE' && cell.key === 'HOME_VISIT')!;

  const goalsClosed = CLOSING_STATUSES.reduce((total, status) => total + sum(raw.goalsClosed[GoalStatus[status]]), 0);
  const metrics = new Map<CaseMetric, MetricFigure>([
    ['ACTIVE_CASES', countValue('ACTIVE_CASES', raw.activeCases)],
    ['SHARE_ACTIVE_CASES_WITH_PLAN', shareValue('SHARE_ACTIVE_CASES_WITH_PLAN', raw.activeCasesWithPlan, raw.activeCases)],
    ['MEDIAN_DAYS_TO_FIRST_PLAN', medianValue('MEDIAN_DAYS_TO_FIRST_PLAN', raw.firstPlanMedianDays, raw.firstPlanCases)],
    ['SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', shareValue('SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', raw.reviewed, raw.reviewBase)],
    ['SHARE_GOALS_ACHIEVED', shareValue('SHARE_GOALS_ACHIEVED', sum(raw.goalsClosed[GoalStatus.ACHIEVED]), goalsClosed)],
    [
      'SHARE_HOME_VISITS',
      homeVisitCell.suppressed
        ? suppressedFigure('SHARE_HOME_VISITS')
        : shareValue('SHARE_HOME_VISITS', raw.consultationsByMode[ConsultationMode.HOME_VISIT] ?? 0, sum(raw.consultationsByMode)),
    ],
    ['SHARE_CASES_REACHING_LIMIT', shareValue('SHARE_CASES_REACHING_LIMIT', raw.casesReachingLimit, raw.closedCases)],
  ]);
  return { period, metrics, breakdowns };
}

/**
 * Active cases per full-time position of a provider: null when the staffing is unknown or 0, suppressed with
 * ACTIVE_CASES (the ratio and the staffing would give the count back).
 */
export function perFullTimePosition(activeCases: MetricFigure, fullTimeEquivalents: number | null | undefined): MetricFigure {
  const metric = 'CASES_PER_FULL_TIME_POSITION';
  if (activeCases.suppressed || activeCases.value === null) return suppressedFigure(metric);
  const known = typeof fullTimeEquivalents === 'number' && fullTimeEquivalents > 0;
  return { metric, value: known ? activeCases.value / fullTimeEquivalents : null, numerator: activeCases.value, denominator: null, suppressed: false };
}

/** The figures of a group for a period and the periods before it (nearest first). */
export interface GroupStatistics {
  current: PeriodStatistics;
  previous: PeriodStatistics[];
}

/**
 * The metrics with their trend. With fullTimeEquivalents (a provider), CASES_PER_FULL_TIME_POSITION is added; its
 * trend has no values, since the staffing of earlier periods is not part of the representation.
 */
export function caseMetricValues(statistics: GroupStatistics, provider?: { fullTimeEquivalents: number | null | undefined }): MetricValue[] {
  const metrics = provider ? CASE_METRICS : GROUP_METRICS;
  return metrics.map((metric) => {
    if (metric === 'CASES_PER_FULL_TIME_POSITION') {
      return {
        ...perFullTimePosition(statistics.current.metrics.get('ACTIVE_CASES')!, provider?.fullTimeEquivalents),
        trend: statistics.previous.map((earlier) => ({ period: earlier.period, value: null, suppressed: earlier.metrics.get('ACTIVE_CASES')!.suppressed })),
      };
    }
    return {
      ...statistics.current.metrics.get(metric)!,
      trend: statistics.previous.map((earlier) => {
        const figure = earlier.metrics.get(metric)!;
        return { period: earlier.period, value: figure.value, suppressed: figure.suppressed };
      }),
    };
  });
}

/** Median and quartiles of each metric over the groups (suppressed and empty values do not count). */
export function caseDistribution(groups: GroupStatistics[]): DistributionValue[] {
  return GROUP_METRICS.map((metric) =>
    distribution(
      metric,
      groups.map((group) => group.current.metrics.get(metric)!.value),
    ),
  );
}
