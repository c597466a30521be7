import { registerEnumType } from 'type-graphql';

/** Whether a standard is met by values at least or at most its target. Stored lower-case. */
export enum StandardDirection {
  AT_LEAST = 'at_least',
  AT_MOST = 'at_most',
}

registerEnumType(StandardDirection, {
  name: 'StandardDirection',
  description: 'How a value is compared with the target of a standard',
  valuesConfig: {
    AT_LEAST: { description: 'Met when the value is at least the target (value >= target), e.g. a share of plans' },
    AT_MOST: { description: 'Met when the value is at most the target (value <= target), e.g. median days to a first plan' },
  },
});

/** What evaluateStandard needs of a standard. */
export interface StandardTarget {
  target: number;
  direction: StandardDirection;
}

/**
 * Whether a value meets the standard: value >= target for AT_LEAST, value <= target for AT_MOST (the target itself
 * meets it). A value that is not a finite number (NaN, Infinity) never meets a standard.
 */
export function evaluateStandard(standard: StandardTarget, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return standard.direction === StandardDirection.AT_LEAST ? value >= standard.target : value <= standard.target;
}
