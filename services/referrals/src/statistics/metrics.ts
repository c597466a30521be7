import { countValue, LanguageLevel, LifeArea, MetricBreakdown, MetricValue, medianValue, shareValue, suppressBreakdown } from '@integration-graph/common';

/** How many earlier periods each metric's trend shows. */
export const TREND_PERIODS = 2;

type FigureKind = 'count' | 'share' | 'median';

/**
 * The referral metrics, in the order of MetricKey (services/partners/src/standards/metrics.ts, the metrics computed
 * by referrals); `metric` is the MetricKey name. The SQL function statistics_referral_figures (migration
 * 1764300000000) computes each under the same name; definitions in docs/referrals.md ("Statistics").
 */
export const REFERRAL_METRICS: readonly { metric: string; kind: FigureKind }[] = [
  { metric: 'REFERRALS_SENT', kind: 'count' },
  { metric: 'SHARE_REFERRALS_ANSWERED_IN_TIME', kind: 'share' },
  { metric: 'MEDIAN_DAYS_TO_FIRST_RESPONSE', kind: 'median' },
  { metric: 'MEDIAN_DAYS_TO_START', kind: 'median' },
  { metric: 'ACCEPTANCE_RATE', kind: 'share' },
  { metric: 'COMPLETION_RATE', kind: 'share' },
  { metric: 'NO_SHOW_RATE', kind: 'share' },
  { metric: 'EXPIRY_RATE', kind: 'share' },
  { metric: 'SHARE_LANGUAGE_COURSES_B1_OR_HIGHER', kind: 'share' },
];

/** What the SQL functions return for one figure (or category) of one group and period, unsuppressed. */
export interface RawFigure {
  /** A count; of shares the numerator; of medians the number of observations. */
  n: number;
  /** Base of a share. */
  base: number | null;
  median: number | null;
}

/** A metric's value for one group and period, small cells suppressed (no trend yet). */
export function metricValue(definition: (typeof REFERRAL_METRICS)[number], raw: RawFigure | undefined): Omit<MetricValue, 'trend'> {
  const n = raw?.n ?? 0;
  switch (definition.kind) {
    case 'count':
      return countValue(definition.metric, n);
    case 'share':
      return shareValue(definition.metric, n, raw?.base ?? 0);
    case 'median':
      return medianValue(definition.metric, raw?.median ?? null, n);
  }
}

/** The category used when a referral does not say (life area or receiver kind not recorded). */
export const NOT_RECORDED = 'NOT_RECORDED';

const LIFE_AREA_NAMES = new Map<string, string>(Object.entries(LifeArea).map(([name, value]) => [value, name]));
/** Levels below B1 and from B1 on: SHARE_LANGUAGE_COURSES_B1_OR_HIGHER publishes both totals. */
const LEVEL_GROUPS: readonly LanguageLevel[][] = [
  [LanguageLevel.A1, LanguageLevel.A2],
  [LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1, LanguageLevel.C2],
];

/**
 * The breakdowns of one group and period from the raw category counts (stored values; null = not recorded):
 * - SENT_BY_LIFE_AREA: every life area (zeros included), then NOT_RECORDED when there are such referrals;
 * - SENT_BY_RECEIVER_KIND: the kinds that occur (upper case, by name), then NOT_RECORDED;
 * - LANGUAGE_OUTCOMES_BY_LEVEL: A1 to C2.
 * Small cells are suppressed with secondary suppression (suppressBreakdown) within every set of cells whose total
 * is published: the first two add up to REFERRALS_SENT; the levels add up to the base of
 * SHARE_LANGUAGE_COURSES_B1_OR_HIGHER, and the levels from B1 on to its numerator, so each of A1–A2 and B1–C2 is
 * suppressed as a group of its own (otherwise a suppressed level could be recomputed from the share).
 */
export function referralBreakdowns(raw: Map<string, Map<string | null, number>>): MetricBreakdown[] {
  const counts = (breakdown: string) => raw.get(breakdown) ?? new Map<string | null, number>();
  const lifeAreas = counts('SENT_BY_LIFE_AREA');
  const lifeAreaCells = [...LIFE_AREA_NAMES].map(([value, name]) => ({ key: name, count: lifeAreas.get(value) ?? 0 }));
  const unknownLifeArea = [...lifeAreas].filter(([value]) => value === null || !LIFE_AREA_NAMES.has(value)).reduce((sum, [, count]) => sum + count, 0);
  if (unknownLifeArea) lifeAreaCells.push({ key: NOT_RECORDED, count: unknownLifeArea });

  const kinds = new Map<string, number>();
  for (const [value, count] of counts('SENT_BY_RECEIVER_KIND')) {
    const key = value ? value.toUpperCase() : NOT_RECORDED;
    kinds.set(key, (kinds.get(key) ?? 0) + count);
  }
  const kindCells = [...kinds]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => (a.key === NOT_RECORDED ? 1 : b.key === NOT_RECORDED ? -1 : a.key.localeCompare(b.key)));

  const levels = counts('LANGUAGE_OUTCOMES_BY_LEVEL');
  return [
    ...suppressBreakdown('SENT_BY_LIFE_AREA', lifeAreaCells),
    ...suppressBreakdown('SENT_BY_RECEIVER_KIND', kindCells),
    ...LEVEL_GROUPS.flatMap((group) => suppressBreakdown('LANGUAGE_OUTCOMES_BY_LEVEL', group.map((level) => ({ key: level, count: levels.get(level) ?? 0 })))),
  ];
}
