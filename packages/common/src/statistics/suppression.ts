import { envInt } from '../config';
import { DistributionValue, MetricBreakdown, MetricValue } from './types';

/** Counts below this are suppressed (STATS_MIN_CELL_SIZE, default 5; the Federal Employment Agency uses 3). */
export function minCellSize(): number {
  return envInt('STATS_MIN_CELL_SIZE', 5);
}

/** A count: suppressed when 1 ≤ count < minimum (0 is shown: it reveals nobody). */
export function countValue(metric: string, count: number): Omit<MetricValue, 'trend'> {
  const suppressed = count > 0 && count < minCellSize();
  return { metric, value: suppressed ? null : count, numerator: suppressed ? null : count, denominator: null, suppressed };
}

/** A share numerator/denominator: suppressed when the base or the numerator is a small cell; null when the base is 0. */
export function shareValue(metric: string, numerator: number, denominator: number): Omit<MetricValue, 'trend'> {
  const min = minCellSize();
  const suppressed = (denominator > 0 && denominator < min) || (numerator > 0 && numerator < min) || (denominator - numerator > 0 && denominator - numerator < min);
  if (suppressed) return { metric, value: null, numerator: null, denominator: null, suppressed: true };
  return { metric, value: denominator === 0 ? null : numerator / denominator, numerator, denominator, suppressed: false };
}

/** A median over `count` observations: suppressed when they are a small cell. */
export function medianValue(metric: string, median: number | null, count: number): Omit<MetricValue, 'trend'> {
  const suppressed = count > 0 && count < minCellSize();
  return { metric, value: suppressed || count === 0 ? null : median, numerator: suppressed ? null : count, denominator: null, suppressed };
}

/**
 * A breakdown of one total into categories: small cells are suppressed, and when exactly one cell of the group
 * would be suppressed, the next smallest is suppressed too (secondary suppression), so that no suppressed count can
 * be recomputed from the total.
 */
export function suppressBreakdown(breakdown: string, counts: { key: string; count: number }[]): MetricBreakdown[] {
  const min = minCellSize();
  const cells = counts.map((c) => ({ ...c, hide: c.count > 0 && c.count < min }));
  // Hidden cells must not be recomputable from the total: never a single one, and never ones that add up to less
  // than the minimum (cells 1, 1, 9 of 11 would reveal both ones).
  const mustHideMore = () => {
    const hidden = cells.filter((c) => c.hide);
    return hidden.length === 1 || (hidden.length > 1 && hidden.reduce((sum, c) => sum + c.count, 0) < min);
  };
  while (mustHideMore()) {
    const next = cells.filter((c) => !c.hide && c.count > 0).sort((a, b) => a.count - b.count)[0];
    if (!next) break;
    next.hide = true;
  }
  return cells.map((c) => ({ breakdown, key: c.key, count: c.hide ? null : c.count, suppressed: c.hide }));
}

/** Quantile by linear interpolation (PostgreSQL's percentile_cont). */
function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Median and quartiles of the values that are shown (suppressed and empty values do not count). */
export function distribution(metric: string, values: (number | null)[]): DistributionValue {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return { metric, median: null, lowerQuartile: null, upperQuartile: null, counted: 0 };
  return { metric, median: quantile(sorted, 0.5), lowerQuartile: quantile(sorted, 0.25), upperQuartile: quantile(sorted, 0.75), counted: sorted.length };
}
