import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';

/**
 * Shared value types of the statistics for cooperation meetings. Several subgraphs return them, so they are
 * @shareable and must stay identical everywhere: they are defined here once.
 */
@Directive('@shareable')
@ObjectType({ description: 'A metric’s value in an earlier period' })
export class TrendPoint {
  @Field({ description: 'Period label, e.g. "2026-T2"' })
  period: string;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field()
  suppressed: boolean;
}

@Directive('@shareable')
@ObjectType({ description: 'One figure for one municipality or provider and period. Small cells are suppressed, never shown as 0.' })
export class MetricValue {
  @Field({ description: 'The metric (MetricKey name, e.g. "SHARE_HOME_VISITS")' })
  metric: string;

  @Field(() => Float, { nullable: true, description: 'The value; null when suppressed or when there is nothing to measure' })
  value: number | null;

  @Field(() => Int, { nullable: true, description: 'Counted cases (of shares: the numerator); null when suppressed' })
  numerator: number | null;

  @Field(() => Int, { nullable: true, description: 'Base of a share; null when suppressed or not a share' })
  denominator: number | null;

  @Field({ description: 'True when the figure rests on fewer cases than the minimum cell size (or would let one be recomputed)' })
  suppressed: boolean;

  @Field(() => [TrendPoint], { description: 'The same figure in the previous periods, nearest first' })
  trend: TrendPoint[];
}

@Directive('@shareable')
@ObjectType({ description: 'A count in a breakdown (e.g. goals achieved in the life area LANGUAGE). Suppressed counts are null.' })
export class MetricBreakdown {
  @Field({ description: 'What is broken down, e.g. "GOALS_BY_LIFE_AREA_ACHIEVED" or "CONSULTATIONS_BY_MODE"' })
  breakdown: string;

  @Field({ description: 'The category, e.g. "LANGUAGE"' })
  key: string;

  @Field(() => Int, { nullable: true })
  count: number | null;

  @Field()
  suppressed: boolean;
}

@Directive('@shareable')
@ObjectType({ description: 'How a metric is distributed over the municipalities (or providers) of a district' })
export class DistributionValue {
  @Field()
  metric: string;

  @Field(() => Float, { nullable: true })
  median: number | null;

  @Field(() => Float, { nullable: true })
  lowerQuartile: number | null;

  @Field(() => Float, { nullable: true })
  upperQuartile: number | null;

  @Field(() => Int, { description: 'Municipalities (or providers) whose value counted (not suppressed, not empty)' })
  counted: number;
}
